"""Exercises of notebooks/05_loyalty/01_satisfaction.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import loyalty
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["nps_no_shortfall", "lowest_nps_region", "retail_gap_most_linked", "lotus_best_half_point"]

_DIMENSIONS = list(loyalty.SERVQUAL_DIMENSIONS)


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
    "NPS of the tea respondents whose perception reached their expectation on all five dimensions, rounded to 1 decimal",
    answer=_nps_no_shortfall,
    hint="Build the five gaps (perception_<d> − expectation_<d>) as columns of one DataFrame, keep the rows where "
    "(gaps >= 0).all(axis=1), and pass those survey rows to loyalty.nps; take its 'nps'.",
    atol=0.05,
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
)

lotus_best_half_point = Exercise(
    "For Lotus Lane (T2), the dimension where half a point more perception raises the model's NPS most",
    answer=_lotus_best_half_point,
    hint="loyalty.nps_lift_table(driver, surveys, shift=0.5) has one row per brand; take the row 'T2' and its .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)
