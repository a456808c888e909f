"""Every write of the mediation app, by concept: the roster, the cases, the periodic sweeps."""

from .cases import *  # noqa: F403
from .cases import __all__ as _cases
from .legal import *  # noqa: F403
from .legal import __all__ as _legal
from .recommendations import *  # noqa: F403
from .recommendations import __all__ as _recommendations
from .reminders import *  # noqa: F403
from .reminders import __all__ as _reminders
from .roster import *  # noqa: F403
from .roster import __all__ as _roster

__all__ = [*_cases, *_legal, *_recommendations, *_reminders, *_roster]
