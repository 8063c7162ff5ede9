"""Who may open a dashboard page: signed-in staff holding the page's permissions.

Anonymous visitors go to the login page; signed-in people without the permission get a 403 page. Buttons
for actions a user may not take are left out of the templates, and the view refuses them if forced.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_required(*perms: str, any_of: tuple[str, ...] = ()) -> Callable:
    """Decorate a dashboard view: login, staff, every permission in ``perms`` and one of ``any_of`` if given."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_staff or not user.has_perms(perms):
                raise PermissionDenied
            if any_of and not any(user.has_perm(p) for p in any_of):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
