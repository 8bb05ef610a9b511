"""What if a brand closed one service gap? (chapter 5, the satisfaction notebook)

Respondents whose perception beats their expectation recommend the brand more often. This
module turns that relation into a small *what-if* model, and a widget to play with it:

* :class:`NPSDriverModel`: two logistic regressions fitted on the survey answers, one for the
  chance that a respondent is a promoter (9–10), one for the chance of a detractor (0–6), each
  from the five SERVQUAL gaps (perception − expectation) and the respondent's group (e.g. the
  brand). The predicted NPS of a group is ``100 × (mean promoter chance − mean detractor
  chance)`` over its respondents;
* :func:`nps_lift_table`: the predicted change in NPS if every respondent of a group perceived
  one dimension ``shift`` points better (capped at the top of the scale), dimension by dimension;
* :func:`satisfaction_explorer`: pick a group and a dimension, move the shift, see the gap and
  the predicted NPS change.

**It is a model, not an experiment.** It describes how gaps and scores go together *in this
survey*; whether improving the service would move the scores that much is an assumption (the
people who perceive more might simply like the brand more and rate everything higher).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.loyalty import SERVQUAL_DIMENSIONS
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["NPSDriverModel", "nps_lift_table", "satisfaction_explorer"]


def _logistic_fit(X: np.ndarray, y: np.ndarray, ridge: float = 1e-4, steps: int = 50) -> np.ndarray:
    """Coefficients of a logistic regression of ``y`` (0/1) on the columns of ``X``, by Newton's method.

    A tiny ridge penalty keeps the steps finite if a column separates the classes; the fit
    stops when no coefficient moves by more than 1e-10. (A few lines of NumPy instead of
    scikit-learn, so that the widget loads fast.)

    >>> X = np.column_stack([np.ones(6), [0, 1, 2, 3, 4, 5]])
    >>> beta = _logistic_fit(X, np.array([0, 0, 1, 0, 1, 1]))
    >>> bool(beta[1] > 0)
    True
    """
    beta = np.zeros(X.shape[1])
    penalty = ridge * np.eye(X.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(X @ beta)))
        gradient = X.T @ (y - p) - penalty @ beta
        hessian = (X * (p * (1 - p))[:, None]).T @ X + penalty
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta


def _chance(X: np.ndarray, beta: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(X @ beta)))


class NPSDriverModel:
    """Promoter and detractor chances from the SERVQUAL gaps, to ask "what if a gap closed?".

    Parameters
    ----------
    by : optional column naming each respondent's group (e.g. ``"brand_id"``); the model then
        has one baseline per group, so its NPS of each group equals the observed one (up to
        rounding), and the gaps' weights are shared by all groups.
    dimensions : the SERVQUAL dimensions; columns ``expectation_<d>`` and ``perception_<d>``.
    score : the 0–10 recommendation column.
    scale : (lowest, highest) answer of the expectation and perception items.

    Attributes
    ----------
    coefficients_ : DataFrame, one row per gap (and group baseline), columns ``promoter`` and
        ``detractor``: the change in the log-odds for one point more of that gap.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> gap = rng.integers(-2, 3, size=400)
    >>> surveys = pd.DataFrame({f"{k}_{d}": np.full(400, 4) for k in ("expectation", "perception") for d in SERVQUAL_DIMENSIONS})
    >>> surveys["perception_empathy"] = 4 + gap
    >>> surveys["nps_score"] = np.clip(7 + 2 * gap + rng.integers(-1, 2, size=400), 0, 10)
    >>> model = NPSDriverModel().fit(surveys)
    >>> bool(model.predict_nps(surveys, shift={"empathy": 1}) > model.predict_nps(surveys))
    True
    """

    def __init__(self, by: str | None = None, dimensions=SERVQUAL_DIMENSIONS, score: str = "nps_score", scale=(1, 7)):
        self.by = by
        self.dimensions = [dimensions] if isinstance(dimensions, str) else list(dimensions)
        if not self.dimensions:
            raise CRMDataError("dimensions is empty. Fix: pass the dimension names, e.g. dimensions=['reliability'].")
        self.score = score
        low, high = scale
        self.scale = (float(low), float(high))
        self.groups_: list | None = None
        self.coefficients_: pd.DataFrame | None = None
        self._models = None

    def __repr__(self) -> str:
        state = "not fitted" if self._models is None else f"{self.n_respondents_} respondents"
        return f"NPSDriverModel(by={self.by!r}, {state})"

    # -- shared steps ---------------------------------------------------------------------------
    def _checked(self, surveys: pd.DataFrame, with_score: bool) -> pd.DataFrame:
        kinds = {f"{k}_{d}": "number" for d in self.dimensions for k in ("expectation", "perception")}
        if with_score:
            kinds[self.score] = "count"
        if self.by is not None:
            kinds[self.by] = "key"
        return validate.table(surveys, "surveys", kinds)

    def _design(self, checked: pd.DataFrame, shift: Mapping | None) -> np.ndarray:
        """Gaps (perception shifted and capped to the scale) and one 0/1 column per group."""
        low, high = self.scale
        shift = dict(shift or {})
        unknown = [d for d in shift if d not in self.dimensions]
        if unknown:
            raise CRMDataError(f"shift names unknown dimension(s) {unknown}. Fix: use some of {self.dimensions}.")
        gaps = []
        for d in self.dimensions:
            perceived = np.clip(checked[f"perception_{d}"].to_numpy(dtype="float64") + float(shift.get(d, 0.0)), low, high)
            gaps.append(perceived - checked[f"expectation_{d}"].to_numpy(dtype="float64"))
        columns = [np.column_stack(gaps)]
        if self.by is not None:
            values = checked[self.by].astype(object).to_numpy()
            new = sorted(set(values) - set(self.groups_), key=str) if self.groups_ is not None else []
            if new:
                raise CRMDataError(f"surveys: {self.by} has groups the model was not fitted on: {new[:5]}. Fix: fit on surveys that include them.")
            columns.append((values[:, None] == np.array(self.groups_, dtype=object)[None, :]).astype("float64"))
        return np.column_stack(columns)

    def _with_baseline(self, X: np.ndarray) -> np.ndarray:
        """Add the common intercept column when there are no groups (the groups' columns are the baselines)."""
        return X if self.by is not None else np.column_stack([X, np.ones(len(X))])

    # -- fitting and predicting -----------------------------------------------------------------
    def fit(self, surveys: pd.DataFrame) -> "NPSDriverModel":
        """Fit the promoter and detractor regressions on one row per respondent."""
        checked = self._checked(surveys, with_score=True)
        score = checked[self.score].to_numpy(dtype="float64")
        if ((score < 0) | (score > 10)).any():
            raise validate.rows_error("surveys", self.score, checked.index[(score < 0) | (score > 10)], problem="outside 0–10",
                                      fix="the recommendation question is answered on a 0–10 scale")
        if self.by is not None:
            self.groups_ = sorted(checked[self.by].astype(object).unique(), key=str)
        X = self._with_baseline(self._design(checked, None))
        models = {}
        for name, target in (("promoter", score >= 9), ("detractor", score <= 6)):
            if target.all() or not target.any():
                raise CRMDataError(f"surveys: every respondent is {'a' if target.all() else 'not a'} {name}, so there is nothing to learn. "
                                   "Fix: use more respondents.")
            models[name] = _logistic_fit(X, target.astype("float64"))
        self._models = models
        index = [f"gap_{d}" for d in self.dimensions] + ([f"{self.by}={g}" for g in self.groups_] if self.by is not None else ["intercept"])
        self.coefficients_ = pd.DataFrame(models, index=pd.Index(index, name="term"))
        self.n_respondents_ = len(checked)
        return self

    def predict_nps(self, surveys: pd.DataFrame, shift: Mapping | None = None):
        """The model's NPS of the respondents, as they answered or with perceptions shifted.

        Parameters
        ----------
        surveys : the respondents (columns as in :meth:`fit`; the score is not needed).
        shift : e.g. ``{"responsiveness": 1.0}``: add this to every respondent's perception of
            that dimension, capped to the scale, before predicting.

        Returns
        -------
        A float without groups; with ``by`` a Series of NPS per group (named ``nps``).
        """
        if self._models is None:
            raise CRMDataError("NPSDriverModel is not fitted yet. Fix: call .fit(surveys) first.")
        checked = self._checked(surveys, with_score=False)
        X = self._with_baseline(self._design(checked, shift))
        net = 100 * (_chance(X, self._models["promoter"]) - _chance(X, self._models["detractor"]))
        if self.by is None:
            return float(net.mean())
        return pd.Series(net, index=checked.index).groupby(checked[self.by].astype(object).to_numpy()).mean().rename_axis(self.by).rename("nps")


def nps_lift_table(model: NPSDriverModel, surveys: pd.DataFrame, shift: float = 1.0) -> pd.DataFrame:
    """Predicted NPS change if one dimension were perceived ``shift`` points better, per dimension.

    Returns
    -------
    DataFrame with one row per group (one row "all" without groups) and one column per
    dimension: the model's NPS with that dimension shifted minus its NPS as answered.
    """
    shift = float(shift)
    if not np.isfinite(shift):
        raise CRMDataError(f"shift must be a finite number of scale points, got {shift!r}. Fix: pass e.g. shift=1.")
    now = model.predict_nps(surveys)
    lifts = {d: model.predict_nps(surveys, shift={d: shift}) - now for d in model.dimensions}
    if model.by is None:
        return pd.DataFrame(lifts, index=pd.Index(["all"], name="group"))
    table = pd.DataFrame(lifts)
    table.columns.name = "dimension"
    return table


def _what_if(model: NPSDriverModel, surveys: pd.DataFrame, group, dimension: str, shift: float) -> dict:
    """Everything the explorer shows for one group, dimension and shift."""
    part = surveys if model.by is None else surveys[surveys[model.by].astype(object) == group]
    low, high = model.scale
    expected = {d: float(part[f"expectation_{d}"].mean()) for d in model.dimensions}
    gap_now = {d: float(part[f"perception_{d}"].mean()) - expected[d] for d in model.dimensions}
    moved = np.clip(part[f"perception_{dimension}"].to_numpy(dtype="float64") + shift, low, high)
    gap_after = dict(gap_now, **{dimension: float(moved.mean()) - expected[dimension]})
    score = part[model.score].to_numpy()
    observed = 100 * (np.mean(score >= 9) - np.mean(score <= 6))
    now, after = model.predict_nps(part), model.predict_nps(part, shift={dimension: shift})
    if model.by is not None:
        now, after = float(now.iloc[0]), float(after.iloc[0])
    return {"group": group, "dimension": dimension, "shift": shift, "respondents": len(part),
            "gap_now": gap_now, "gap_after": gap_after, "observed_nps": float(observed),
            "model_nps": now, "predicted_nps": after, "change": after - now}


def _summary_text(result: dict, name: str) -> str:
    d, s = result["dimension"], result["shift"]
    return (f"{name}: perceived {d} {s:+.2f} points → its gap goes from {result['gap_now'][d]:+.2f} to "
            f"{result['gap_after'][d]:+.2f}, and the model's NPS from {result['model_nps']:+.1f} to "
            f"{result['predicted_nps']:+.1f} ({result['change']:+.1f} points). Observed NPS: {result['observed_nps']:+.1f}.")


def _figure_png(result: dict, name: str, dimensions: list) -> bytes:
    """Gap bars (now and after) and the three NPS values, drawn on a bare Figure (no pyplot)."""
    from matplotlib.figure import Figure

    with chart_fonts():
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[3, 2])
        y = np.arange(len(dimensions))
        now = np.array([result["gap_now"][d] for d in dimensions])
        after = np.array([result["gap_after"][d] for d in dimensions])
        from matplotlib.patches import Patch

        colours = np.where(now < 0, "#C44E52", "#55A868")
        left.barh(y, now, height=0.6, color=colours, alpha=0.8)
        moved = dimensions.index(result["dimension"])
        left.barh([moved], [after[moved]], height=0.6, fill=False, edgecolor="black", linestyle="--", linewidth=1.5)
        handles = [Patch(color="#C44E52", alpha=0.8, label="falls short 未达期望"),
                   Patch(color="#55A868", alpha=0.8, label="exceeds 超出期望"),
                   Patch(fill=False, edgecolor="black", linestyle="--", label="after the change 改进后")]
        left.axvline(0, color="black", lw=0.8)
        left.set_yticks(y, dimensions)
        left.invert_yaxis()
        reach = max(1.0, float(np.abs(np.r_[now, after]).max()) * 1.2)
        left.set_xlim(-reach, reach)
        left.set(title=f"{name}: SERVQUAL gaps 服务质量差距", xlabel="mean perception − mean expectation (points)",
                 ylabel="dimension 维度")
        left.legend(handles=handles, loc="lower right", fontsize=8)
        values = [result["observed_nps"], result["model_nps"], result["predicted_nps"]]
        labels = ["observed\n实际", "model now\n模型", "model after\n改进后"]
        bars = right.bar(range(3), values, color=["#7F7F7F", "#4C72B0", "#DD8452"])
        right.bar_label(bars, labels=[f"{v:+.1f}" for v in values], padding=2, fontsize=9)
        right.axhline(0, color="black", lw=0.8)
        right.set_xticks(range(3), labels)
        top = max(10.0, max(abs(v) for v in values) * 1.25)
        right.set_ylim(min(0.0, min(values) * 1.25), top)
        right.set(title="NPS 净推荐值: a model's estimate", ylabel="NPS (−100 to +100)")
        return png_bytes(fig)


def satisfaction_explorer(surveys: pd.DataFrame, by: str = "brand_id", names: Mapping | None = None,
                          group=None, dimension: str | None = None, shift: float = 1.0, model: NPSDriverModel | None = None):
    """Pick a group and a dimension, move the perception, see the gap and the predicted NPS.

    Parameters
    ----------
    surveys : one row per respondent with the SERVQUAL columns, ``nps_score`` and ``by``.
    by : the group column (e.g. the brand).
    names : optional display name of each group, e.g. ``{"T1": "Aurora Leaf"}``.
    group, dimension, shift : the starting choice; default the first group, its largest negative
        gap, and +1 point.
    model : an :class:`NPSDriverModel` fitted with the same ``by``; default one is fitted here.

    Returns
    -------
    ``ipywidgets.VBox`` with two drop-downs, a slider, a line of text and the chart. Its
    attributes ``group``, ``dimension``, ``slider``, ``summary`` (an HTML widget), ``image`` and
    ``result()`` (the numbers shown now, a dict) make it easy to test.
    """
    import ipywidgets as widgets

    model = model if model is not None else NPSDriverModel(by=by).fit(surveys)
    if model.by != by:
        raise CRMDataError(f"model was fitted with by={model.by!r}, not by={by!r}. Fix: fit NPSDriverModel(by={by!r}).")
    names = {} if names is None else dict(names)
    groups = model.groups_
    start = groups[0] if group is None else group
    if start not in groups:
        raise CRMDataError(f"group {group!r} is not among the surveys' {by} values {groups}. Fix: pick one of them.")
    if dimension is None:
        part = surveys[surveys[by].astype(object) == start]
        gaps = {d: part[f"perception_{d}"].mean() - part[f"expectation_{d}"].mean() for d in model.dimensions}
        dimension = min(gaps, key=gaps.get)
    if dimension not in model.dimensions:
        raise CRMDataError(f"dimension {dimension!r} is unknown. Fix: pick one of {model.dimensions}.")
    if not -2 <= shift <= 2:
        raise CRMDataError(f"shift must be between -2 and 2 points (the slider's range), got {shift!r}. Fix: pass e.g. shift=1.")

    group_box = widgets.Dropdown(options=[(str(names.get(g, g)), g) for g in groups], value=start, description=f"{by}")
    dim_box = widgets.Dropdown(options=model.dimensions, value=dimension, description="dimension")
    slider = widgets.FloatSlider(value=float(shift), min=-2.0, max=2.0, step=0.25, description="perception ±",
                                 continuous_update=False, readout_format="+.2f")
    summary = widgets.HTML()
    image = widgets.Image(format="png")

    def current() -> dict:
        return _what_if(model, surveys, group_box.value, dim_box.value, slider.value)

    def show(_change=None) -> None:
        result = current()
        name = str(names.get(result["group"], result["group"]))
        summary.value = f"<b>{_summary_text(result, name)}</b>"
        image.value = _figure_png(result, name, model.dimensions)

    show()
    for control in (group_box, dim_box, slider):
        control.observe(show, names="value")
    box = widgets.VBox([widgets.HBox([group_box, dim_box]), slider, summary, image])
    box.group, box.dimension, box.slider, box.summary, box.image = group_box, dim_box, slider, summary, image
    box.result = current
    box.model = model
    return box
