# The course's JupyterLab: `make lab` puts this folder on JUPYTER_CONFIG_PATH (see README.md here).
from pathlib import Path

# Settings defaults of the course's Lab (settings/overrides.json): no "Jupyter news" toast.
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "settings")  # noqa: F821 (c: traitlets)
