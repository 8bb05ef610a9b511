"""The platform-policy explorer: pick exclusive dealing (二选一) or a relationship policy, set the
commission, and watch five years of the toy market of :mod:`crmlib.cases.platform`.

::

    from crmlib.widgets.platform import platform_explorer
    platform_explorer()

Three panels over the quarters: platform A's share of all platform sales, the merchants' mean
trust in A, and the total value created on both platforms. The chosen policy is drawn in
colour, the other one in grey for comparison, both at the same commission and with the same
merchants and luck. The line of text under the controls gives the key numbers.
"""
from __future__ import annotations


import pandas as pd

from crmlib.cases.platform import DEFAULT_SEED, POLICIES, simulate_platforms
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["policy_outcome", "platform_explorer"]

_COLOURS = {"exclusive": "tab:red", "relationship": "tab:blue"}


def policy_outcome(sim: pd.DataFrame) -> dict:
    """The numbers the explorer shows for one run of :func:`crmlib.cases.platform.simulate_platforms`.

    ``peak_share`` (A's highest quarterly share of platform sales), ``final_share`` (A's share in
    the last quarter), ``final_trust`` (mean trust in A in the last quarter), ``a_commission``
    (A's commission income over the run) and ``total_value`` (value created on both platforms over
    the run), money in million CNY.

    >>> out = policy_outcome(simulate_platforms("relationship", years=1, merchants=300))
    >>> sorted(out)
    ['a_commission', 'final_share', 'final_trust', 'peak_share', 'total_value']
    """
    run = sim[sim["period"] >= 1]
    a = run[run["platform"] == "A"].sort_values("period")
    return {
        "peak_share": float(a["sales_share"].max()),
        "final_share": float(a["sales_share"].iloc[-1]),
        "final_trust": float(a["trust"].iloc[-1]),
        "a_commission": float(a["commission_revenue"].sum()),
        "total_value": float(run["total_value"].sum()),
    }


def _summary_text(policy: str, commission: float, years: int, outcomes: dict) -> str:
    mine, other = outcomes[policy], outcomes[next(p for p in POLICIES if p != policy)]
    return (f"{POLICIES[policy]} at {commission:.0%} commission: A's sales share peaks at {mine['peak_share']:.0%} "
            f"and ends at {mine['final_share']:.0%}; trust in A ends at {mine['final_trust']:.2f}. Over {years} years "
            f"A earns {mine['a_commission']:,.0f} and the market creates {mine['total_value']:,.0f} million CNY "
            f"(other policy: {other['a_commission']:,.0f} and {other['total_value']:,.0f}).")


def _figure_png(sims: dict, policy: str, commission: float) -> bytes:
    """The three panels as PNG bytes, drawn on a bare Figure (no pyplot: nothing to leak or show twice)."""
    from matplotlib.figure import Figure

    panels = [("sales_share", "A's share of platform sales", "share of sales"),
              ("trust", "Merchants' trust in A", "mean trust (0–1)"),
              ("total_value", "Total value created (A + B)", "million CNY per quarter")]
    with chart_fonts():
        fig = Figure(figsize=(11, 3.6))
        fig.subplots_adjust(left=0.06, right=0.99, bottom=0.14, top=0.91, wspace=0.28)
        axes = fig.subplots(1, 3)
        order = [p for p in POLICIES if p != policy] + [policy]  # the chosen policy on top
        for name in order:
            sim = sims[name]
            chosen = name == policy
            style = {"color": _COLOURS[name], "lw": 2.2} if chosen else {"color": "grey", "lw": 1.4, "ls": "--"}
            a = sim[sim["platform"] == "A"].sort_values("period")
            x = a["period"].to_numpy() / 4
            series = {"sales_share": a["sales_share"], "trust": a["trust"],
                      "total_value": sim.groupby("period")["total_value"].sum()}
            for ax, (column, _, _) in zip(axes, panels):
                ax.plot(x, series[column].to_numpy(), label=POLICIES[name], **style)
        for ax, (column, title, ylabel) in zip(axes, panels):
            ax.set(title=title, xlabel="years since the policy started", ylabel=ylabel)
            ax.set_ylim(0, 1 if column != "total_value" else None)  # value from 0 too: no exaggerated drops
        axes[0].legend(loc="lower left", fontsize=8, title=f"commission {commission:.0%}", title_fontsize=8)
        return png_bytes(fig)


def platform_explorer(policy: str = "exclusive", commission: float = 0.10, years: int = 5, merchants: int = 2000,
                      seed: int = DEFAULT_SEED):
    """Buttons for platform A's policy and a commission slider above three charts of the outcome.

    Parameters
    ----------
    policy : where the buttons start, ``"exclusive"`` or ``"relationship"``.
    commission : where the slider starts (0.04–0.25, steps of 0.01).
    years, merchants, seed : passed to :func:`crmlib.cases.platform.simulate_platforms`.

    Returns
    -------
    ``ipywidgets.VBox`` with the buttons, the slider, a line of text and the chart. Its attributes
    ``policy`` (the buttons), ``commission`` (the slider), ``summary`` (an ``ipywidgets.HTML`` holding plain text),
    ``image`` (an ``ipywidgets.Image``) and ``outcome()`` (:func:`policy_outcome` of what is shown)
    make it easy to test.
    """
    import ipywidgets as widgets

    if policy not in POLICIES:
        raise CRMDataError(f"policy must be one of {list(POLICIES)}, got {policy!r}. Fix: pass policy='exclusive'.")
    try:
        start = round(float(commission), 2)
    except (TypeError, ValueError):
        start = float("nan")
    if not 0.04 <= start <= 0.25:
        raise CRMDataError(f"commission must be between 0.04 and 0.25, got {commission!r}. Fix: pass e.g. commission=0.1.")
    simulate_platforms(policy, years=years, merchants=merchants, commission=start, seed=seed)  # checks the rest
    cache: dict = {}

    def sims_at(rate: float) -> dict:
        key = round(rate, 2)
        if key not in cache:
            cache[key] = {p: simulate_platforms(p, years=years, merchants=merchants, commission=key, seed=seed) for p in POLICIES}
        return cache[key]

    buttons = widgets.ToggleButtons(options=[(label, key) for key, label in POLICIES.items()], value=policy,
                                    description="policy")
    slider = widgets.FloatSlider(value=start, min=0.04, max=0.25, step=0.01, description="commission",
                                 readout_format=".0%", continuous_update=False)
    summary = widgets.HTML()  # wraps long lines, unlike a Label
    image = widgets.Image(format="png")

    def show(_change=None) -> None:
        sims = sims_at(slider.value)
        outcomes = {p: policy_outcome(sim) for p, sim in sims.items()}
        summary.value = _summary_text(buttons.value, slider.value, years, outcomes)
        image.value = _figure_png(sims, buttons.value, slider.value)

    show()
    buttons.observe(show, names="value")
    slider.observe(show, names="value")
    box = widgets.VBox([buttons, slider, summary, image])
    box.policy, box.commission, box.summary, box.image = buttons, slider, summary, image
    box.outcome = lambda: policy_outcome(sims_at(slider.value)[buttons.value])
    return box
