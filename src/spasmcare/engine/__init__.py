"""The functional core: (findings, knowledge, params) -> Assessment, with no I/O."""

from spasmcare.engine.assess import assess
from spasmcare.engine.params import DEFAULT_PARAMS, EngineParams

__all__ = ["DEFAULT_PARAMS", "EngineParams", "assess"]
