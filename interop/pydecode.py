"""Go -> Python: decode cookies written by sessconf with real Pyramid.

Reads {"config": {...}, "cases": [{"name", "backend", "cookie"}]} on
stdin and writes one result per case on stdout:

  payload     json.dumps() of what the serializer's loads() returned
              (the raw [accessed, created, state] list)
  new, created, accessed, renewed
              the attributes of the Pyramid CookieSession that
              factory(request) built from the cookie
  state       json.dumps(dict(session))
  set_cookie  the Set-Cookie headers Pyramid writes after
              session.changed() (no tracked access, so accessed stays
              what the cookie held)
  error       set when the serializer refused the cookie

Run with /usr/bin/python3 -B (Debian's python3-pyramid and python3-nacl).
"""

import json

import pycommon


def main():
    data = pycommon.read_input()
    facs = pycommon.factories(data["config"])
    results = []
    for case in data["cases"]:
        factory, serializer = facs[case["backend"]]
        res = {"name": case["name"], "backend": case["backend"]}
        try:
            value = serializer.loads(case["cookie"].encode("latin-1"))
            res["payload"] = json.dumps(value)
        except ValueError as e:
            res["error"] = "%s: %s" % (type(e).__name__, e)
        request = pycommon.request_with_cookie("session", case["cookie"])
        session = factory(request)
        res["new"] = session.new
        res["created"] = session.created
        res["accessed"] = session.accessed
        res["renewed"] = session.renewed
        # Neither counts as an access (see pycommon.snapshot).
        state = pycommon.snapshot(session)
        res["state"] = json.dumps(state)
        res["csrf"] = state.get("_csrft_")
        session.changed()
        res["set_cookie"] = pycommon.render_set_cookie(request)
        results.append(res)
    pycommon.write_output(results)


if __name__ == "__main__":
    main()
