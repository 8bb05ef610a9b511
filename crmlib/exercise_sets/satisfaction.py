"""Exercises of notebooks/05_loyalty/01_satisfaction.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import loyalty, vocabulary
from crmlib.concepts import MatchPairs, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = [
    "nps_no_shortfall",
    "lowest_nps_region",
    "retail_gap_most_linked",
    "lotus_best_half_point",
    "same_cup",
    "how_they_feel",
    "reading_a_gap",
    "customers_viewpoint",
    "relationship_factors",
]

_DIMENSIONS = list(loyalty.SERVQUAL_DIMENSIONS)
#: Each dimension's Chinese name -> its English name: either passes as an answer.
_DIMENSION_NAMES_ZH = {zh: en for en, zh in vocabulary.SERVQUAL_DIMENSIONS_ZH.items()}


@lru_cache(maxsize=1)
def _tea_surveys() -> pd.DataFrame:
    return load_tea().surveys


@lru_cache(maxsize=1)
def _retail_surveys() -> pd.DataFrame:
    retail = load_retail()
    return retail.surveys.merge(retail.customers[["customer_id", "customer_type", "region"]], on="customer_id")


def _gaps(surveys: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({d: surveys[f"perception_{d}"] - surveys[f"expectation_{d}"] for d in _DIMENSIONS})


def _nps_no_shortfall() -> float:
    surveys = _tea_surveys()
    no_shortfall = (_gaps(surveys) >= 0).all(axis=1)
    return round(float(loyalty.nps(surveys[no_shortfall])["nps"]), 1)


def _lowest_nps_region() -> str:
    return str(loyalty.nps(_retail_surveys(), by="region")["nps"].idxmin())


def _retail_gap_most_linked() -> str:
    surveys = _retail_surveys()
    return str(_gaps(surveys).corrwith(surveys["nps_score"]).idxmax())


def _lotus_best_half_point() -> str:
    surveys = _tea_surveys()
    driver = loyalty.NPSDriverModel(by="brand_id").fit(surveys)
    return str(loyalty.nps_lift_table(driver, surveys, shift=0.5).loc["T2"].idxmax())


nps_no_shortfall = Exercise(
    "NPS of the tea respondents whose perception reached their expectation on all five dimensions, "
    "rounded to 1 decimal",
    answer=_nps_no_shortfall,
    hint="Build the five gaps (perception_<d> − expectation_<d>) as columns of one DataFrame, keep the rows where "
    "(gaps >= 0).all(axis=1), and pass those survey rows to loyalty.nps; take its 'nps'.",
    decimals=1,
)

lowest_nps_region = Exercise(
    "The retailer's sales region whose survey respondents give the lowest NPS",
    answer=_lowest_nps_region,
    hint="Merge retail.surveys with the customers' region (retail.customers[['customer_id', 'region']]), then "
    "loyalty.nps(..., by='region') and .idxmin() of its 'nps' column.",
    ignore_case=True,
    ignore_whitespace=True,
)

retail_gap_most_linked = Exercise(
    "The SERVQUAL dimension whose gap has the highest correlation with the NPS score, in the retailer's surveys",
    answer=_retail_gap_most_linked,
    hint="Make one column per dimension with perception − expectation, then .corrwith(rs['nps_score']) "
    "gives one correlation per column; take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_DIMENSION_NAMES_ZH,
)

lotus_best_half_point = Exercise(
    "For Lotus Lane (T2), the dimension where half a point more perception raises the model's NPS most",
    answer=_lotus_best_half_point,
    hint="loyalty.nps_lift_table(driver, surveys, shift=0.5) has one row per brand; "
    "take the row 'T2' and its .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_DIMENSION_NAMES_ZH,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
same_cup = SingleChoice(
    "Two customers get exactly the same cup of tea after the same five-minute wait. One is satisfied, "
    "the other is disappointed. How can that be?",
    choices=[
        "one of them must have answered the survey carelessly",
        "satisfaction (客户满意) compares what a customer perceives with what she expected, and their "
        "expectations were different",
        "satisfaction depends only on the product, so their cups cannot really have been the same",
        "the disappointed one is simply a difficult customer, and the shop can ignore her",
    ],
    answer="B",
    feedback={
        "A": "Both answers can be honest. The same performance meets one expectation and falls short of "
        "another; that is normal, not a survey error.",
        "C": "Satisfaction is not a property of the cup. It is the customer's feeling after comparing the cup "
        "and the wait with what she expected.",
        "D": "Her expectation was set by something: the price, the brand's promise, an advert, a friend's "
        "story. Finding out what it was tells the shop what to fix or what not to promise.",
    },
    explanation="Price, brand, adverts and word of mouth set the expectation (客户预期), so the same "
    "performance can satisfy one customer and disappoint another.",
    hint=["Satisfaction is a comparison. Of what with what?", "What could have made their expectations differ?"],
)

how_they_feel = SortIntoClasses(
    "Compare what each customer perceived with what she expected. How does she feel?",
    choices=[
        "she expected to wait 5 minutes and waited 15",
        "at a cheap street stall she expected an ordinary cup and got an ordinary cup",
        "she expected ordinary service, and the staff remembered her usual order and added a free topping",
        "she paid a premium price expecting a perfect drink and got a good but ordinary one",
        "a cheap shop's tea turned out better than the premium brand she usually buys",
        "the app said her order would be ready in 10 minutes, and it was",
    ],
    classes=["dissatisfied 不满意", "satisfied 满意", "delighted 惊喜"],
    answer="A1 B2 C3 D1 E3 F2",
    feedback={
        "A": "Perceived (15 minutes) is worse than expected (5 minutes): she is dissatisfied.",
        "B": "An ordinary cup is exactly what she expected there: perceived equals expected, so she is "
        "satisfied, even though the cup is nothing special.",
        "C": "The service was better than she expected: perceived above expected is delight.",
        "D": "A good drink can still disappoint: the premium price raised her expectation above what she got.",
        "E": "She expected less from a cheap shop and got more: perceived above expected is delight.",
        "F": "The promise set the expectation and the shop kept it: perceived equals expected.",
    },
    explanation="Below expectation: dissatisfied; about equal: satisfied; above: delighted. The level of the "
    "performance alone does not decide it.",
    hint=["For each one, is perceived below, equal to or above expected?", "A good drink can still disappoint."],
)

reading_a_gap = SingleChoice(
    "In a SERVQUAL survey a brand's members rate reliability 6.2 for expectation and 5.4 for perception "
    "(both on a scale of 1 to 7). What does this say?",
    choices=[
        "the gap is +0.8, so members are delighted with reliability",
        "5.4 is high on a 7-point scale, so reliability needs no work",
        "the gap is 5.4 − 6.2 = −0.8: perception falls short of expectation, so reliability is a reason "
        "for dissatisfaction and a candidate to fix",
        "the gap is −0.8, but negative gaps are normal in surveys and can be ignored",
    ],
    answer="C",
    feedback={
        "A": "The gap is perception minus expectation: 5.4 − 6.2 is negative, so members got less than they expected.",
        "B": "A high score alone says nothing about satisfaction; what counts is the score against what "
        "members expected.",
        "D": "A negative gap is exactly the shortfall the survey is looking for: it tells the brand where it "
        "disappoints.",
    },
    explanation="SERVQUAL measures satisfaction as a gap, perception minus expectation, for each service "
    "dimension; the most negative gap is usually the first thing to fix.",
    hint=["Gap = perception − expectation.", "Is a negative gap good or bad news?"],
)

customers_viewpoint = SingleChoice(
    "A tea shop cut the average time to make a drink from 4 to 3 minutes. The next survey shows no rise in "
    "satisfaction with speed. What should the manager conclude?",
    choices=[
        "the survey must be wrong, because the shop's own timing data show the improvement",
        "speed does not matter to customers at all",
        "satisfaction is measured from the customer's viewpoint: the gain has not reached customers (for "
        "example, they still queue to order), so look at the wait as they experience it",
        "the shop should cut the time further until the survey changes, without asking why",
    ],
    answer="C",
    feedback={
        "A": "The firm's own figures say how it performs, not how that performance lands with customers. "
        "Both can be true at once.",
        "B": "One survey without a change does not show that speed is unimportant; it shows that this change "
        "was not noticed.",
        "D": "Without knowing what customers notice, more of the same may again change nothing. First find "
        "out where the wait is.",
    },
    explanation="Use satisfaction as the compass (指南针): an improvement counts when customers notice it, so "
    "measure it from their side.",
    hint="Whose viewpoint does satisfaction measure?",
)

relationship_factors = MatchPairs(
    "Six factors shape how a customer feels about her relationship with a firm. Match each factor with an "
    "example of it.",
    choices=[
        "brand 品牌",
        "service quality 服务质量",
        "the customer's past experience 客户经验",
        "company image 企业形象",
        "word of mouth 口碑",
        "competitors' moves 竞争者策略",
    ],
    targets=[
        "a rival opens a shop next door with a half-price week",
        "a friend says the new milk tea is the best in town",
        "she expects more from a famous premium label than from a street stall",
        "last month her order was wrong and nobody apologised",
        "the staff are quick, polite and get the order right",
        "the firm is in the news for helping flood victims",
    ],
    answer="A3 B5 C4 D6 E2 F1",
    feedback={
        "A": "A brand carries a promise, and the promise sets the customer's expectation.",
        "B": "Service quality is how well the service is done each time: speed, politeness, getting it right.",
        "C": "Past experience is what happened to this customer before, good or bad, including complaints.",
        "D": "Company image is what the public thinks of the firm as a whole, its reputation.",
        "E": "Word of mouth is what other customers tell her.",
        "F": "A competitor's offer changes what 'good' means, even if the firm itself changed nothing.",
    },
    explanation="Brand, service quality, the customer's experience, company image, word of mouth and "
    "competitors' strategy all shape the relationship, not only the last visit.",
    hint=["Which example is about other firms? Which about other people?", "Image is the whole firm's reputation."],
)
