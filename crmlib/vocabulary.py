"""The course's vocabulary, defined once: the lists of names that several modules, the data
generators and the notebooks share.

Each name is the one the shipped data use; the Chinese is the standard textbook term
(``../shared/terms.md``).

>>> from crmlib import vocabulary
>>> vocabulary.SERVQUAL_DIMENSIONS[0], len(vocabulary.COMPLAINT_TYPES)
('tangibles', 5)
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "SERVQUAL_DIMENSIONS",
    "SERVQUAL_DIMENSIONS_ZH",
    "SALES_STAGES",
    "COMPLAINT_TYPES",
    "COMPLAINT_STAGES",
    "LIFECYCLE_STAGES",
    "LIFECYCLE_STAGES_ZH",
    "RETENTION_BONDS",
    "RFM_TYPES",
]

#: The five SERVQUAL dimensions of service quality (服务质量的五个维度).
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
#: Their Chinese names.
SERVQUAL_DIMENSIONS_ZH = {
    "tangibles": "有形性",
    "reliability": "可靠性",
    "responsiveness": "响应性",
    "assurance": "保证性",
    "empathy": "移情性",
}

#: The stages of a sales opportunity in ``retail.opportunities``, in order (销售阶段); a lost deal
#: keeps the stage where it was lost.
SALES_STAGES = ("prospecting", "qualification", "needs analysis", "proposal", "negotiation", "won")

#: The five types of complaint (投诉的五种类型) in ``retail.tickets``: product quality, purchase
#: contract, delivery, service, and suggestions that arrive as complaints.
COMPLAINT_TYPES = ("product quality", "purchase contract", "delivery", "service", "suggestion")

#: The five handling stages of a complaint (投诉处理五个阶段), as columns of ``retail.tickets``:
#: receive → accept → clarify → propose a solution → follow up.
COMPLAINT_STAGES = ("received_at", "accepted_at", "clarified_at", "solution_proposed_at", "followed_up_at")

#: The five stages of the customer life cycle as the course measures them, from the start of the
#: relationship to its end.
LIFECYCLE_STAGES = ("new", "active", "cooling", "lapsed", "lost")
#: Their Chinese names.
LIFECYCLE_STAGES_ZH = {
    "new": "新客户",
    "active": "活跃客户",
    "cooling": "降温客户",
    "lapsed": "沉睡客户",
    "lost": "流失客户",
}

#: The three levels of retention bonds (客户保持的三个层次: 财务层次、社交层次、结构层次), each with an
#: assumed offer: a fixed cost of setting it up (CNY), a cost per flagged customer (CNY) and the
#: share of flagged would-be churners it keeps. Assumptions for discussion, not data.
RETENTION_BONDS = {
    "financial": {
        "fixed_cost": 0.0,
        "cost_per_customer": 4.0,
        "saved_share": 0.10,
        "example": "a 4-yuan coupon or double points 优惠券、积分",
    },
    "financial + social": {
        "fixed_cost": 0.0,
        "cost_per_customer": 10.0,
        "saved_share": 0.20,
        "example": "coupon plus a personal message and a birthday drink 个性化关怀",
    },
    "structural": {
        "fixed_cost": 5000.0,
        "cost_per_customer": 6.0,
        "saved_share": 0.35,
        "example": "a saved 'usual order' and office pre-order pick-up in the mini-program 定制化服务",
    },
}

#: The eight RFM customer types (RFM客户类型) of Chinese CRM textbooks, best first. Each of R, F and
#: M is *high* or *low* against a threshold (the mean, unless a firm states its own): R is high
#: when the last purchase is recent, F when the customer buys often, M when they spend a lot. The
#: key is (R high, F high, M high); the value is (English name, 中文, the action the type calls
#: for). M decides 重要 (important) or 一般 (general); R and F decide 价值 / 发展 / 保持 / 挽留
#: (value / to develop / to keep / to win back).
RFM_TYPES = MappingProxyType(
    {
        (True, True, True): (
            "important value customer",
            "重要价值客户",
            "keep them close: VIP service, early access and personal thanks; no discount needed",
        ),
        (True, False, True): (
            "important customer to develop",
            "重要发展客户",
            "recent big spenders who seldom come: give reasons to come more often (membership, stamp card)",
        ),
        (False, True, True): (
            "important customer to keep",
            "重要保持客户",
            "frequent big spenders gone quiet: contact them personally now and ask what changed",
        ),
        (False, False, True): (
            "important customer to win back",
            "重要挽留客户",
            "big spenders, rare and long gone: find out why they left; a strong personal offer",
        ),
        (True, True, False): (
            "general value customer",
            "一般价值客户",
            "recent regulars with small baskets: raise the spend per visit (bundles, cross-selling)",
        ),
        (True, False, False): (
            "general customer to develop",
            "一般发展客户",
            "new or casual buyers: low-cost offers that build a habit (a second-cup coupon)",
        ),
        (False, True, False): (
            "general customer to keep",
            "一般保持客户",
            "former regulars with small baskets, now quiet: cheap reminders through mass channels",
        ),
        (False, False, False): (
            "general customer to win back",
            "一般挽留客户",
            "low value and long gone: mass channels only, little or no spend; win-back rarely pays",
        ),
    }
)
