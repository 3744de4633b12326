"""What every response of the application carries."""


class PasDeCachePourLesComptes:
    """Pages behind the sign-in are never kept by a browser or a proxy (`Cache-Control: private, no-store`): the
    back button after sign-out, or a shared computer, shows nothing of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in reponse:
            reponse["Cache-Control"] = "private, no-store"
        return reponse
