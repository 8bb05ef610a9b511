# JupyterHub for a class of the CRM course: `make hub` runs it as root (README, "Running a class
# on JupyterHub"). `c` is the configuration object JupyterHub passes to this file.
#
# - Students log in with the names the teacher adds (admin page or REST API); the first login
#   sets the password (FirstUseAuthenticator). Nobody can sign up with a new name.
# - The hub creates a system user for each student (home folder mode 0700), and each student's
#   server runs as that user (LocalProcessSpawner): students cannot read each other's files.
# - The students' environment (.venv-hub-user) holds crmlib WITHOUT crmlib/exercise_sets, the
#   course's Lab settings, the data, and nbgitpuller; the course comes into each home from a
#   local git repository of the student edition (hub/prepare.py course).
# - The idle culler stops servers nobody used for an hour; work stays in the home folders.
# - Everything listens on 127.0.0.1 only: put an HTTPS proxy in front for a real class.
#
# Settings from the environment (defaults for `make hub`):
#   CRM_HUB_STATE     folder of the hub's database, cookie secret and passwords  (hub/state)
#   CRM_HUB_COURSE    the git repository of the student edition, readable by all (hub/course/crm-course)
#   CRM_HUB_USER_ENV  the students' Python environment                          (.venv-hub-user)
#   CRM_HUB_ADMIN     the teacher's user name, the only admin                  (teacher)
#   CRM_HUB_PORT      the port students open: http://127.0.0.1:PORT            (8000)
#   CRM_HUB_API_PORT, CRM_HUB_PROXY_API_PORT  internal ports (8081, 8001)
#   CRM_HUB_IDLE_TIMEOUT  seconds of inactivity before a server is stopped     (3600)
# ruff: noqa: F821  (c is defined by JupyterHub)

import os
import sys
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from jupyterhub.auth import LocalAuthenticator

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("CRM_HUB_STATE", ROOT / "hub" / "state")).resolve()
COURSE = Path(os.environ.get("CRM_HUB_COURSE", ROOT / "hub" / "course" / "crm-course")).resolve()
USER_ENV = Path(os.environ.get("CRM_HUB_USER_ENV", ROOT / ".venv-hub-user")).resolve()
ADMIN = os.environ.get("CRM_HUB_ADMIN", "teacher")
PORT = int(os.environ.get("CRM_HUB_PORT", "8000"))
API_PORT = int(os.environ.get("CRM_HUB_API_PORT", "8081"))
PROXY_API_PORT = int(os.environ.get("CRM_HUB_PROXY_API_PORT", "8001"))
IDLE_TIMEOUT = int(os.environ.get("CRM_HUB_IDLE_TIMEOUT", "3600"))
PROXY = ROOT / ".venv-hub" / "node_modules" / ".bin" / "configurable-http-proxy"

STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o700)  # the password hashes and the cookie secret: root only

# The course repository belongs to root, and git refuses to read another user's repository
# ("dubious ownership") unless a system or global config names it as safe. The students' git
# gets its own system config that names only this repository (GIT_CONFIG_SYSTEM below).
GIT_CONFIG = COURSE.parent / "gitconfig"
GIT_CONFIG.parent.mkdir(parents=True, exist_ok=True)
GIT_CONFIG.write_text(f"[safe]\n\tdirectory = {COURSE / '.git'}\n")


class ClassAuthenticator(FirstUseAuthenticator, LocalAuthenticator):
    """First login sets the password; each user the hub adds gets a system user of the same name."""

    def _user_exists(self, username):
        # The names the teacher added: with allow_existing_users, allowed_users holds exactly the
        # hub's users (added at start and by the admin page; removed with the user).
        return username in self.allowed_users

    def delete_user(self, user):
        FirstUseAuthenticator.delete_user(self, user)  # forgets the password: the next login sets it
        LocalAuthenticator.delete_user(self, user)  # the system user and its home stay


# --- network: this machine only ---------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = API_PORT
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
if not PROXY.exists():
    sys.exit(f"{PROXY} is missing: run `make hub-env` (it installs configurable-http-proxy from npm)")
c.ConfigurableHTTPProxy.command = [str(PROXY)]

# --- the hub's own files -----------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- who may log in ----------------------------------------------------------------------------
c.JupyterHub.authenticator_class = ClassAuthenticator
c.FirstUseAuthenticator.create_users = False  # only the names the teacher added
c.Authenticator.allow_all = False
c.Authenticator.allow_existing_users = True
c.FirstUseAuthenticator.min_password_length = 8
c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
c.Authenticator.admin_users = {ADMIN}
c.LocalAuthenticator.create_system_users = True
c.LocalAuthenticator.add_user_cmd = ["useradd", "--create-home", "--shell", "/bin/bash", "-K", "HOME_MODE=0700"]

# --- each student's server ---------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(USER_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
c.Spawner.ip = "127.0.0.1"
c.Spawner.environment = {
    "PATH": f"{USER_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "CRMLIB_DATA": str(USER_ENV / "share" / "crm-course" / "datasets"),
    "NBGITPULLER_APP": "lab",
    "GIT_CONFIG_SYSTEM": str(GIT_CONFIG),
}
# A kernel left idle for 20 minutes is stopped (its notebook stays): memory goes back to the class.
# Kernels talk to their server over Unix sockets in the student's home, not over local TCP ports.
c.Spawner.args = [
    "--KernelManager.transport=ipc",
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=120",
]
# On a busy machine a server can take a while to start: wait for it rather than fail.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# --- services ----------------------------------------------------------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT}"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
