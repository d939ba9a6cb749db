"""Shared set-up for the sessconf interop scripts (run with /usr/bin/python3).

Builds real Pyramid 2.0 cookie-session factories:

* signed: pyramid.session.SignedCookieSessionFactory with JSONSerializer
  (webob SignedSerializer underneath);
* encrypted: pyramid.session.BaseCookieSessionFactory around
  EncryptedSerializer, a re-implementation of pyramid_nacl_session 1.0's
  serializer (not packaged by Debian) with nacl.secret.SecretBox:
  base64url(nonce(24) || SecretBox(key).encrypt(json.dumps(payload))),
  padding stripped.

Both use Pyramid's own CookieSession class, so loading a cookie runs
Pyramid's [accessed, created, state] handling, and writing one runs
_set_cookie and webob's Set-Cookie rendering.
"""

import binascii
import json
import sys
from base64 import urlsafe_b64decode, urlsafe_b64encode

from nacl.exceptions import CryptoError
from nacl.secret import SecretBox
from nacl.utils import random
from pyramid.request import Request
from pyramid.response import Response
from pyramid.session import (
    BaseCookieSessionFactory,
    JSONSerializer,
    SignedCookieSessionFactory,
)


class EncryptedSerializer:
    """pyramid_nacl_session.serializer.EncryptedSerializer (1.0.0)."""

    def __init__(self, secret, serializer=None):
        if len(secret) != SecretBox.KEY_SIZE:
            raise ValueError(
                "Secret should be a random bytes string of length {}".format(
                    SecretBox.KEY_SIZE
                )
            )
        self.box = SecretBox(secret)
        self.serializer = serializer if serializer is not None else JSONSerializer()

    def loads(self, bstruct):
        try:
            b64padding = b"=" * (-len(bstruct) % 4)
            fstruct = urlsafe_b64decode(bstruct + b64padding)
        except (binascii.Error, TypeError) as e:
            raise ValueError("Badly formed base64 data: {}".format(e))
        try:
            payload = self.box.decrypt(fstruct)
        except CryptoError as e:
            raise ValueError("Possible tampering: {}".format(e))
        return self.serializer.loads(payload)

    def dumps(self, session_state):
        cstruct = self.serializer.dumps(session_state)
        nonce = random(SecretBox.NONCE_SIZE)
        fstruct = self.box.encrypt(cstruct, nonce)
        return urlsafe_b64encode(fstruct).rstrip(b"=")


def factories(config):
    """Returns {"signed": (factory, serializer), "encrypted": (...)}.

    Cookie options match sessconf's settings.Default(): Pyramid's
    defaults except httponly=True.
    """
    sc = config["signed"]
    signed = SignedCookieSessionFactory(
        sc["secret"],
        salt=sc["salt"],
        hashalg=sc["hashalg"],
        httponly=True,
        serializer=JSONSerializer(),
    )
    # The serializer SignedCookieSessionFactory builds internally, for
    # reading the raw payload list.
    from webob.cookies import SignedSerializer

    signed_ser = SignedSerializer(
        sc["secret"], sc["salt"], sc["hashalg"], serializer=JSONSerializer()
    )
    enc_ser = EncryptedSerializer(
        binascii.unhexlify(config["encrypted"]["key_hex"]), JSONSerializer()
    )
    encrypted = BaseCookieSessionFactory(enc_ser, httponly=True)
    return {"signed": (signed, signed_ser), "encrypted": (encrypted, enc_ser)}


def raw_payload(backend, serializer, value):
    """Returns the exact bytes (as text) that were signed or encrypted in
    a cookie value, after checking it with serializer.loads."""
    serializer.loads(value.encode("latin-1"))  # raises ValueError if bad
    fstruct = urlsafe_b64decode(value + "=" * (-len(value) % 4))
    if backend == "encrypted":
        return serializer.box.decrypt(fstruct).decode("utf-8")
    return fstruct[serializer.digest_size :].decode("utf-8")


def snapshot(session):
    """dict(session) without counting as an access. dict(x) and even
    dict.copy(x) on a dict subclass that overrides __iter__ go through
    x.keys(), which Pyramid tracks: accessed would become int(now) and
    reissue_time=0 would mark the session changed. dict.__iter__ and
    dict.__getitem__ are the untracked C methods."""
    return {k: dict.__getitem__(session, k) for k in dict.__iter__(session)}


def request_with_cookie(name, value):
    headers = {}
    if value is not None:
        headers["Cookie"] = "%s=%s" % (name, value)
    return Request.blank("/", headers=headers)


def render_set_cookie(request):
    """Runs the request's response callbacks (where Pyramid's session
    writes its cookie) on a fresh response and returns the Set-Cookie
    headers."""
    response = Response()
    request._process_response_callbacks(response)
    return response.headers.getall("Set-Cookie")


def read_input():
    return json.load(sys.stdin)


def write_output(obj):
    json.dump(obj, sys.stdout)
    sys.stdout.write("\n")
