from .disputes import (
    Dispute,
    DisputeDocument,
    DisputeFollowUp,
    DisputeHistory,
    DisputeParty,
    MediationSession,
)
from .petitions import Petition, PetitionDocument, PetitionHistory, PetitionPetitioner

__all__ = [
    "Dispute",
    "DisputeDocument",
    "DisputeFollowUp",
    "DisputeHistory",
    "DisputeParty",
    "MediationSession",
    "Petition",
    "PetitionDocument",
    "PetitionHistory",
    "PetitionPetitioner",
]
