"""The API's JSON renderer: DRF's, able to answer whatever text a client sent."""

from typing import Any

from rest_framework import renderers


class EscapingJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


class JSONRenderer(renderers.JSONRenderer):
    """Writes text as UTF-8, except a response that echoes a lone surrogate a client sent (an
    error message naming the value it refused): UTF-8 cannot carry one, and DRF's renderer
    then failed the response with a 500. That response is written with JSON escapes."""

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return EscapingJSONRenderer().render(data, accepted_media_type, renderer_context)
