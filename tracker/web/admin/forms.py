"""Forms for managing users (declared with the province's in ``tracker.web.account_forms``)."""

from tracker.web.account_forms import UserForm

__all__ = ["UserForm"]
