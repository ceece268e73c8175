from .disputes import (
    Dispute,
    DisputeDocument,
    DisputeFollowUp,
    DisputeHistory,
    DisputeParty,
    MediationSession,
)

__all__ = [
    "Dispute",
    "DisputeDocument",
    "DisputeFollowUp",
    "DisputeHistory",
    "DisputeParty",
    "MediationSession",
]
