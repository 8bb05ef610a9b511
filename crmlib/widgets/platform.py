"""The platform-policy explorer: pick exclusive dealing (二选一) or a relationship policy, set the
commission, and watch five years of the toy market of :mod:`crmlib.cases.platform`.

::

    from crmlib.widgets.platform import platform_explorer
    platform_explorer()

Three panels over the quarters (:func:`crmlib.plots.platform_policy_plot`): platform A's share of
all platform sales, the merchants' mean trust in A, and the total value created on both
platforms. The chosen policy is drawn in colour, the other one in grey for comparison, both at
the same commission and with the same merchants and luck. The line of text under the controls
gives the key numbers (:func:`crmlib.cases.platform.policy_outcome`).
"""

from __future__ import annotations

import pandas as pd

from crmlib import plots
from crmlib.cases.platform import DEFAULT_SEED, POLICIES, policy_outcome, simulate_platforms
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["platform_explorer"]


def _policy_names() -> dict:
    """The labels of :data:`crmlib.cases.platform.POLICIES` in the current language."""
    return {"exclusive": _("exclusive dealing 二选一"), "relationship": _("relationship 关系营销")}


def _summary_text(policy: str, commission: float, years: int, outcomes: dict) -> str:
    mine, other = outcomes[policy], outcomes[next(p for p in POLICIES if p != policy)]
    return _(
        "{policy} at {commission} commission: A's sales share peaks at {peak} and ends at {final}; "
        "trust in A ends at {trust}. Over {years} years A earns {earns} and the market creates {value} "
        "million CNY (other policy: {other_earns} and {other_value})."
    ).format(
        policy=_policy_names().get(policy, POLICIES[policy]),
        commission=f"{commission:.0%}",
        peak=f"{mine['peak_share']:.0%}",
        final=f"{mine['final_share']:.0%}",
        trust=f"{mine['final_trust']:.2f}",
        years=years,
        earns=f"{mine['a_commission']:,.0f}",
        value=f"{mine['total_value']:,.0f}",
        other_earns=f"{other['a_commission']:,.0f}",
        other_value=f"{other['total_value']:,.0f}",
    )


def platform_explorer(
    policy: str = "exclusive", commission: float = 0.10, years: int = 5, merchants: int = 2000, seed: int = DEFAULT_SEED
):
    """Buttons for platform A's policy and a commission slider above three charts of the outcome.

    Parameters
    ----------
    policy : where the buttons start, ``"exclusive"`` or ``"relationship"``.
    commission : where the slider starts (0.04–0.25, steps of 0.01).
    years, merchants, seed : passed to :func:`crmlib.cases.platform.simulate_platforms`.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``policy`` (the buttons) and
    ``commission`` (the slider); the summary is plain text; ``state["outcome"]`` is
    :func:`crmlib.cases.platform.policy_outcome` of the run shown and ``state["outcomes"]`` that of
    both policies.
    """
    import ipywidgets as widgets

    if policy not in POLICIES:
        raise CRMDataError(
            _("policy must be one of {items}, got {policy!r}. Fix: pass policy='exclusive'.").format(
                items=list(POLICIES), policy=policy
            )
        )
    try:
        start = round(float(commission), 2)
    except (TypeError, ValueError):
        start = float("nan")
    if not 0.04 <= start <= 0.25:
        raise CRMDataError(
            _("commission must be between 0.04 and 0.25, got {commission!r}. Fix: pass e.g. commission=0.1.").format(
                commission=commission
            )
        )
    simulate_platforms(policy, years=years, merchants=merchants, commission=start, seed=seed)  # checks the rest
    cache: dict = {}

    def runs_at(rate: float) -> pd.DataFrame:
        key = round(rate, 2)
        if key not in cache:
            cache[key] = pd.concat(
                [simulate_platforms(p, years=years, merchants=merchants, commission=key, seed=seed) for p in POLICIES],
                ignore_index=True,
            )
        return cache[key]

    controls = {
        "policy": widgets.ToggleButtons(
            options=[(_policy_names().get(key, label), key) for key, label in POLICIES.items()],
            value=policy,
            description=_("policy"),
        ),
        "commission": widgets.FloatSlider(
            value=start,
            min=0.04,
            max=0.25,
            step=0.01,
            description=_("commission"),
            readout_format=".0%",
            continuous_update=False,
        ),
    }

    def render(policy: str, commission: float) -> View:
        from matplotlib.figure import Figure

        runs = runs_at(commission)
        outcomes = {p: policy_outcome(runs[runs["policy"].eq(p).to_numpy()]) for p in POLICIES}
        fig = Figure(figsize=(11, 3.6))
        fig.subplots_adjust(left=0.06, right=0.99, bottom=0.14, top=0.91, wspace=0.28)
        for i, (ax, measure) in enumerate(
            zip(fig.subplots(1, 3), ("sales_share", "trust", "total_value"), strict=True)
        ):
            plots.platform_policy_plot(runs, measure, policy=policy, legend=i == 0, ax=ax)
        return View(
            _summary_text(policy, commission, years, outcomes),
            fig,
            state={"outcome": outcomes[policy], "outcomes": outcomes},
        )

    return explorer(controls, render)
