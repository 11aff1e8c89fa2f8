"""Jinja2 environments for the HTML outputs: packaged templates, autoescaping on.

Templates live in ``summarizer/render/templates/`` (package data). A user template given with
``--template FILE`` is loaded from its own directory first, so it can ``{% extends
"briefing.html.j2" %}`` and override blocks, or replace the page entirely. Every variable is
escaped unless the renderer marked it :class:`markupsafe.Markup` (text it escaped itself).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from summarizer.errors import ConfigError

__all__ = ["TEMPLATE_PACKAGE", "environment", "render_template"]

#: Where the packaged templates are (package, directory inside it).
TEMPLATE_PACKAGE = ("summarizer", "render/templates")


def _environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    return jinja2.Environment(
        loader=loader,
        autoescape=True,  # every template here is HTML, whatever its file name ends with
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def environment() -> jinja2.Environment:
    """Return the environment of the packaged templates (cached)."""
    return _environment(jinja2.PackageLoader(*TEMPLATE_PACKAGE))


def render_template(name: str, context: dict[str, Any], override: Path | None = None) -> str:
    """Render the packaged template ``name``, or the user's ``override`` file, with ``context``.

    Raises:
        ConfigError: the override cannot be read, parsed or rendered (one line naming it).
    """
    if override is None:
        return environment().get_template(name).render(context)
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(override.parent)),
            jinja2.PackageLoader(*TEMPLATE_PACKAGE),
        ]
    )
    try:
        return _environment(loader).get_template(override.name).render(context)
    except jinja2.TemplateNotFound as e:
        raise ConfigError(f"{override}: template not found ({e.name})") from e
    except jinja2.TemplateError as e:
        line = getattr(e, "lineno", None)
        where = f" line {line}" if line else ""
        raise ConfigError(f"{override}{where}: template error: {e}") from e
    except OSError as e:
        raise ConfigError(f"{override}: cannot read the template: {e.strerror}") from e
