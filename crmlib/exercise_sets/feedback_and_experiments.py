"""Exercises of notebooks/03_communication/03_feedback_and_experiments.ipynb."""

from __future__ import annotations

from functools import lru_cache

from crmlib import communicate
from crmlib.concepts import MultipleChoice, PutInOrder, SingleChoice, SortIntoClasses
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["lotus_top_complaint", "staff_mentions", "lotus_lane_p_value", "one_point_sample_size"]


@lru_cache(maxsize=1)
def _tea():
    """The tea tables, loaded once for all the exercises of this notebook."""
    return load_tea()


def _lotus_top_complaint() -> str:
    tagged = communicate.tag_feedback(_tea().feedback)
    complaints = tagged[tagged["is_complaint"] & (tagged["brand_id"] == "T2")]
    return str(complaints["primary_tag"].value_counts().idxmax())


def _staff_mentions() -> int:
    tagged = communicate.tag_feedback(_tea().feedback, rules={"staff": ["店员", "服务员", "staff"]})
    return int((tagged["primary_tag"] == "staff").sum())


def _lotus_lane_p_value() -> float:
    sends = _tea().coupon_sends
    lotus = sends[sends["brand_id"] == "T2"]
    result = communicate.ab_test(lotus.assign(converted=lotus["redeemed_date"].notna()))
    return round(float(result["p_value"].iloc[0]), 3)


lotus_top_complaint = Exercise(
    "Which topic (primary tag) do Lotus Lane's (T2) complaints name most often?",
    answer=_lotus_top_complaint,
    hint="Tag the feedback with communicate.tag_feedback, keep the rows with is_complaint True and "
    'brand_id "T2", then count the primary_tag values (.value_counts().idxmax()).',
    ignore_case=True,
    ignore_whitespace=True,
)

staff_mentions = Exercise(
    "How many pieces of feedback mention the staff (keywords 店员, 服务员, staff)?",
    answer=_staff_mentions,
    hint='Pass your own rules: communicate.tag_feedback(tea.feedback, rules={"staff": ["店员", "服务员", "staff"]}); '
    'rows that match nothing are tagged "untagged". Count the rows tagged "staff".',
    rtol=0,
)

lotus_lane_p_value = Exercise(
    "p-value of the coupon test among Lotus Lane (T2) members only, rounded to 3 decimals",
    answer=_lotus_lane_p_value,
    hint='Keep the sends with brand_id "T2", add converted = redeemed_date present (.notna()), '
    "run communicate.ab_test and read its p_value column.",
    decimals=3,
)

one_point_sample_size = Exercise(
    "Members needed per arm to detect a 1-point lift over a 10% redemption rate (80% power, 5% level)",
    answer=lambda: communicate.required_sample_size(0.10, 0.01),
    hint="communicate.required_sample_size(baseline, lift) takes shares: 10% is 0.10 "
    "and one point is 0.01. Or set the sliders of the explorer and read the summary.",
    rtol=0,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += ["feedback_cycle_order", "feedback_cycle_steps", "where_the_cycle_broke", "feedback_gains"]

feedback_cycle_order = PutInOrder(
    "Put the four steps of the feedback cycle (反馈闭环) in order.",
    choices=["analyse 分析", "apply 应用", "collect 收集", "classify 分类"],
    answer="C D A B",
    feedback={
        "A": "Analysis counts, compares and ranks the types of feedback, so the feedback must be sorted into "
        "types first.",
        "B": "Applying acts on what the analysis found, and tells customers what changed. It closes the loop, "
        "so it comes last.",
        "C": "Nothing can be sorted before it has come in: collecting from many channels comes first.",
        "D": "Classifying sorts the collected comments by type. It comes right after collecting and before "
        "the analysis.",
    },
    explanation="Collect, classify, analyse, apply. The loop closes when the change is checked and customers "
    "see that they were heard.",
    hint="Each step works on what the step before it produced.",
)

feedback_cycle_steps = SortIntoClasses(
    "A tea brand runs its feedback cycle. Sort each activity into its step.",
    choices=[
        "tagging each comment as taste, price, hygiene or service",
        "an online survey sent after each order",
        "counting complaints per 1,000 orders for each topic and brand",
        "trying a low-sugar recipe because many members asked for it",
        "hotline agents noting what callers say",
        "telling the members who asked for it that the new drink came from their idea",
        "comparing this month's taste complaints with last month's",
    ],
    classes=["collect 收集", "classify 分类", "analyse 分析", "apply 应用"],
    answer="A2 B1 C3 D4 E1 F4 G3",
    feedback={
        "A": "Tagging sorts comments by type: that is classifying.",
        "B": "A survey brings comments in: it is one of the many channels for collecting.",
        "C": "Counting and comparing topics across brands is analysis.",
        "D": "Acting on what members asked for is applying the feedback.",
        "E": "Notes from the hotline bring comments in: collecting, through another channel.",
        "F": "Telling customers what changed is part of applying: it closes the loop.",
        "G": "Comparing counts over time is analysis.",
    },
    explanation="Collecting brings comments in from many channels, classifying sorts them, analysing counts "
    "and compares them, and applying turns them into changes that customers can see.",
    hint="Ask of each activity: does it bring comments in, sort them, measure them, or act on them?",
)

where_the_cycle_broke = SingleChoice(
    "In the lead case, members told the brand 'too sweet' in its own comments, yet a rival launched a "
    "less-sugar option first. What went wrong?",
    choices=[
        "The brand did not collect feedback.",
        "The customers did not say clearly what they wanted.",
        "The comments stayed with the social-media team. The product team saw them only as one line in a "
        "monthly summary, so nobody analysed and applied them in time.",
        "Nothing: a brand should not change a product because of comments.",
    ],
    answer="C",
    feedback={
        "A": "It did: thousands of comments came in on social media. Collecting was the one step that worked.",
        "B": "They did: they wrote 'too sweet' and asked outright for a less-sugar version.",
        "D": "The rival did exactly that and won the customers. Feedback is one of the fastest sources of "
        "product ideas, as long as a change is tested before it reaches every shop.",
    },
    explanation="The loop stopped after 'collect'. Feedback helps only when it is classified, analysed and "
    "applied, and fast enough to beat the competitors.",
    hint="Which team heard the customers, and which team could change the drink?",
)

feedback_gains = MultipleChoice(
    "What does a firm gain from running the feedback cycle all the way to 'apply'?",
    choices=[
        "It learns which problems to fix first.",
        "It no longer needs to test a change, since the customers have said what they want.",
        "It gets product ideas sooner than its competitors.",
        "It can stop answering single complaints, because the monthly summary covers them.",
        "Customers see that speaking up changes things, so they keep talking to it.",
    ],
    answer="A C E",
    feedback={
        "B": "Comments say what customers want, not whether a change works. That is why this notebook tests "
        "the coupon with an A/B test before any chain-wide decision.",
        "D": "Each complaining customer still needs an answer, through the five complaint stages. The cycle "
        "adds learning; it does not replace the reply.",
    },
    explanation="The cycle turns comments into priorities, into product ideas, and into trust: customers who "
    "see their idea on the menu have a reason to speak up again.",
    hint="Two of the options use the cycle as an excuse to skip other work.",
)
