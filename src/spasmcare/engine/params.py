"""Tunable engine settings, kept apart from knowledge (what is true) and results."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EngineParams:
    """Thresholds that turn the differential into a disposition.

    The differential escalates the triage when the probability that the cause needs at
    least a given level of care reaches that level's threshold:

    * ``emergency_threshold``: 10 %. A one-in-ten chance of a condition that needs
      emergency care is enough to send someone to an emergency department; missing a heart
      attack or a dissection costs far more than an unneeded visit.
    * ``urgent_threshold``: 20 %. A one-in-five chance of a same-day condition (infection,
      fracture, shingles) warrants being seen today.
    * ``routine_threshold``: 45 %. Roughly an even chance that a clinician's examination
      will change the plan warrants a booked visit.

    Thresholds were set from these clinical trade-offs first and then checked on the
    development vignettes; they are not fitted to individual cases.
    """

    emergency_threshold: float = 0.10
    urgent_threshold: float = 0.20
    routine_threshold: float = 0.45
    # How many of the top-ranked conditions get a for/against explanation.
    explain_top: int = 5
    # Contributions smaller than this natural-log likelihood ratio (a ratio between 0.8 and
    # 1.25) are clinically negligible; listed, they read as noise, e.g. mid-back pain shown
    # "against" a back strain.
    min_contribution: float = 0.22
    max_listed_contributions: int = 6
    # Above this many warning signs at once the engine no longer weighs each one's absence
    # separately (2**n combinations) and sends the person for emergency care instead.
    max_weighed_red_flags: int = 14
    # Whether a relevant warning sign that was never answered keeps the triage at routine
    # or above. True for every assessment a person gets; the benchmark's narrative mode
    # turns it off, because a story is not an interview: it measures what the story alone
    # supports. (In SpasmCare a typed story always continues into the interview, which asks
    # the missing warning signs before any result.)
    screen_unasked: bool = True


DEFAULT_PARAMS = EngineParams()
