"""A fake ProConnect inside the test suite: an RSA key of its own served as JWKS, signed id tokens and userinfo, the
token and userinfo endpoints answered by `responses` (no network). Used by tests/comptes/test_proconnect.py and the
browser test tests/navigateur/test_proconnect.py."""

import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import responses
from cryptography.hazmat.primitives.asymmetric import rsa

DOMAINE = "https://proconnect.test"
CLIENT_ID = "calpae-client-id"
KID = "cle-de-test"


def _cle():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


CLE = _cle()
AUTRE_CLE = _cle()  # the same kid, another key: a forged signature


def reglages():
    """The settings of an enabled ProConnect at the fake domain (what calpae/settings/base.py derives from it)."""
    return {
        "PROCONNECT_ACTIF": True,
        "PROCONNECT_DOMAINE": DOMAINE,
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": "secret-de-test",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{DOMAINE}/api/v2/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{DOMAINE}/api/v2/token",
        "OIDC_OP_USER_ENDPOINT": f"{DOMAINE}/api/v2/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{DOMAINE}/api/v2/jwks",
        "PROCONNECT_FIN_DE_SESSION": f"{DOMAINE}/api/v2/session/end",
    }


def signer(claims, cle=CLE):
    return jwt.encode(claims, cle, algorithm="RS256", headers={"kid": KID})


class FournisseurFactice:
    """What the provider answers to the next sign-in: `identite` (sub, e-mail…) and `id_token` tweaks."""

    def __init__(self, rsps):
        self.rsps = rsps
        self.identite = {}
        self.id_token = {}
        self.cle = CLE
        self.nonce = None
        jwk = {**jwt.algorithms.RSAAlgorithm.to_jwk(CLE.public_key(), as_dict=True), "kid": KID, "alg": "RS256"}
        rsps.get(reglages()["OIDC_OP_JWKS_ENDPOINT"], json={"keys": [{**jwk, "use": "sig"}]})
        rsps.add_callback(responses.POST, reglages()["OIDC_OP_TOKEN_ENDPOINT"], callback=self._jeton)
        rsps.add_callback(responses.GET, reglages()["OIDC_OP_USER_ENDPOINT"], callback=self._userinfo)

    def se_presente(self, *, sub, email, **autres):
        self.identite = {"sub": sub, "email": email, "given_name": "Camille", "usual_name": "Agent", **autres}

    def _jeton(self, requete):
        maintenant = int(time.time())
        claims = {
            "iss": f"{DOMAINE}/api/v2",
            "aud": CLIENT_ID,
            "sub": self.identite["sub"],
            "nonce": self.nonce,
            "iat": maintenant,
            "exp": maintenant + 60,
            **self.id_token,
        }
        corps = {"access_token": "jeton-d-acces", "token_type": "Bearer", "expires_in": 60}
        return 200, {"Content-Type": "application/json"}, json.dumps({**corps, "id_token": signer(claims, self.cle)})

    def _userinfo(self, requete):
        assert requete.headers["Authorization"] == "Bearer jeton-d-acces"
        claims = {"iss": f"{DOMAINE}/api/v2", "aud": CLIENT_ID, **self.identite}
        return 200, {"Content-Type": "application/jwt"}, signer(claims, self.cle)

    def autoriser(self, url_autorisation):
        """What the provider does once the person has signed in there: keep the nonce it was sent, and give the
        address CALPAE's callback is reached at (code and the state, unchanged)."""
        parametres = {cle: valeurs[0] for cle, valeurs in parse_qs(urlparse(url_autorisation).query).items()}
        self.nonce = parametres["nonce"]
        return f"{parametres['redirect_uri']}?code=code-de-test&state={parametres['state']}", parametres
