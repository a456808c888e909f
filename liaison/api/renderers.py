"""Renderers shared by the API views."""

from rest_framework import renderers


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for application/pdf; the view returns the bytes itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):  # noqa: ANN001, ANN201
        # Success returns the PDF as an HttpResponse and never comes here; an error has no PDF body.
        return data if isinstance(data, bytes) else b""
