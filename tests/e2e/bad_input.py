#!/usr/bin/env python3
"""Bad input against every REST API (run by bad_input_test.sh).

For identity, image, compute, network and placement: malformed, truncated and non-object
JSON, wrong types, oversize and 300-character names, invalid UTF-8 and NUL in bodies and
paths, path traversal, huge and negative numbers, unknown fields, a Content-Length larger
than the body (the request must not be executed), a body over the limit, a client that
trickles its header (the server must drop it within its head deadline, 30 s; we wait at
most 40 s) while other requests are served, and 100 idle keep-alive connections while
other requests are served. Raw sockets for the HTTP-level ones.

Every answer: never a 5xx, never a hang (every request has a timeout), a 4xx has a JSON
body with a human-readable message, no SQL text or exception name in any body; where the
input is plainly invalid, a 4xx. Afterwards every service answers GET / from the same
process (pid unchanged).

Environment: BI_SERVICES = "name=url:pid,..." (url the service's root, e.g.
http://127.0.0.1:5000), BI_ADMIN_PASSWORD. Prints a table with counts per service and
exits 1 listing every failure.
"""
import collections
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xp_http import Resp, call  # noqa: E402

SERVICES = {}
for item in os.environ["BI_SERVICES"].split(","):
    name, rest = item.split("=", 1)
    url, pid = rest.rsplit(":", 1)
    SERVICES[name] = {"url": url.rstrip("/"), "pid": int(pid)}
ADMIN_PW = os.environ["BI_ADMIN_PASSWORD"]
TIMEOUT = 15
SLOW_DEADLINE = 30   # what the server should allow a request head
SLOW_BOUND = 40      # how long we wait for it to hang up
IDLE_CONNS = 100

rows = []   # service, case, expected, got, ok, why
lock = threading.Lock()

SQL_RE = re.compile(r"SQLSTATE|INSERT INTO|\bviolates\b|\bSELECT\b.+\bFROM\b|syntax error at or near|pqxx|"
                    r"duplicate key value|relation \"", re.S)
EXC_RE = re.compile(r"json\.exception|nlohmann|std::|what\(\)|terminate called|Traceback|"
                    r"parse_error\.\d|type_error\.\d|out_of_range\.\d|invalid_iterator|basic_string|"
                    r"stoi|stoll|bad_alloc|Segmentation")


def log(*a):
    print(*a, flush=True)


def message_of(doc):
    """The human-readable message of an OpenStack error body (any envelope)."""
    stack = [doc]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            for k, v in o.items():
                if k in ("message", "detail", "title", "description") and isinstance(v, str) and len(v.strip()) >= 3:
                    return v
                stack.append(v)
        elif isinstance(o, list):
            stack.extend(o)
    return None


DEAD = {}  # service -> the case after which its process was gone


def alive(svc):
    try:
        with open("/proc/%d/stat" % SERVICES[svc]["pid"]) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def crashed(service, case):
    """True when the service's process is gone: the first time, a row names the case that
    killed it; the service's later checks are not run (they would only say 'refused')."""
    if service in DEAD:
        return True
    if alive(service):
        return False
    with lock:
        DEAD[service] = case
        rows.append((service, "PROCESS DIED at: " + case, "alive", "gone (crash)", False))
    return True


def judge(service, case, r, expect="any", status=None, body=None):
    """expect: 'any' (no 5xx), '4xx', '2xx', or a tuple of codes."""
    if r is not None:
        status, body = r.status, r.body
    if not isinstance(status, int) and crashed(service, case):
        return False
    why = []
    if not isinstance(status, int):
        why.append("no answer (%s)" % status)
    else:
        if status >= 500:
            why.append("5xx")
        if expect == "4xx" and not 400 <= status < 500:
            why.append("expected 4xx")
        elif expect == "2xx" and not 200 <= status < 300:
            why.append("expected 2xx")
        elif isinstance(expect, tuple) and status not in expect:
            why.append("expected %s" % "|".join(map(str, expect)))
        text = (body or b"").decode("utf-8", "replace")
        if 400 <= status < 500:
            try:
                doc = json.loads(body)
                if not message_of(doc):
                    why.append("4xx JSON without a message")
            except ValueError:
                why.append("4xx body not JSON")
        if SQL_RE.search(text):
            why.append("SQL text in body")
        if EXC_RE.search(text):
            why.append("exception text in body")
    ok = not why
    got = str(status)
    if not ok:
        got += " [" + "; ".join(why) + "] " + (body or b"")[:160].decode("utf-8", "replace").replace("\n", " ")
    exp = expect if isinstance(expect, str) else "|".join(map(str, expect))
    with lock:
        rows.append((service, case, exp, got, ok))
    return ok


def fail_row(service, case, expect, got, force=False):
    if not force and crashed(service, case):
        return
    with lock:
        rows.append((service, case, expect, got, False))


def pass_row(service, case, expect, got, force=False):
    if service in DEAD and not force:
        return
    with lock:
        rows.append((service, case, expect, got, True))


# ------------------------------------------------------------------ tokens
r = call("POST", SERVICES["identity"]["url"] + "/v3/auth/tokens", body={"auth": {"identity": {
    "methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"},
                                                  "password": ADMIN_PW}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
TOKEN = r.header("X-Subject-Token")
if not TOKEN:
    log("no admin token: %s %s" % (r.status, r.text()))
    sys.exit(2)


def req(svc, method, path, raw=None, body=None, ctype="application/json", headers=None, token=True,
        timeout=TIMEOUT):
    if svc in DEAD:
        return Resp("ERR service down")
    return call(method, SERVICES[svc]["url"] + path, token=TOKEN if token else None, body=body, raw=raw,
                ctype=ctype, headers=headers, timeout=timeout)


# ------------------------------------------------------------------ per service
# create: (path, make(fields) -> document, list-by-name(name) -> path, list key, delete path)
SFX = uuid.uuid4().hex[:6]
SPEC = {
    "identity": {
        "create": "/v3/projects", "wrap": "project", "base": {"domain_id": "default"},
        "list": "/v3/projects?name=%s", "key": "projects", "item": "/v3/projects/%s",
        "ints": [], "bools": ["enabled", "is_domain"],
        "ids": ["/v3/projects/%s", "/v3/users/%s", "/v3/roles/%s", "/v3/domains/%s"],
        "queries": ["/v3/projects?name=%ff%fe", "/v3/users?domain_id=%00", "/v3/projects?limit=abc"],
        "name_limit": 64,
    },
    "image": {
        "create": "/v2/images", "wrap": None, "base": {"disk_format": "raw", "container_format": "bare"},
        "list": "/v2/images?name=%s", "key": "images", "item": "/v2/images/%s",
        "ints": ["min_disk", "min_ram"], "bools": ["protected"],
        "ids": ["/v2/images/%s", "/v2/images/%s/file", "/v2/images/%s/members"],
        "queries": ["/v2/images?limit=abc", "/v2/images?limit=-1", "/v2/images?marker=%ff%fe",
                    "/v2/images?limit=1e400", "/v2/images?sort_key=%00"],
        "name_limit": 255,
    },
    "compute": {
        "create": "/v2.1/flavors", "wrap": "flavor", "base": {"ram": 64, "vcpus": 1, "disk": 0},
        "list": None, "key": "flavors", "item": "/v2.1/flavors/%s",
        "ints": ["ram", "vcpus", "disk"], "bools": ["os-flavor-access:is_public"],
        "ids": ["/v2.1/servers/%s", "/v2.1/flavors/%s", "/v2.1/os-keypairs/%s", "/v2.1/os-server-groups/%s"],
        "queries": ["/v2.1/servers?limit=abc", "/v2.1/servers?limit=-1", "/v2.1/servers/detail?marker=%ff%fe",
                    "/v2.1/flavors?minRam=1e400", "/v2.1/servers?changes-since=%ff", "/v2.1/servers?sort_key=%00"],
        "name_limit": 255,
    },
    "network": {
        "create": "/v2.0/networks", "wrap": "network", "base": {},
        "list": "/v2.0/networks?name=%s", "key": "networks", "item": "/v2.0/networks/%s",
        "ints": ["mtu"], "bools": ["admin_state_up", "shared"],
        "ids": ["/v2.0/networks/%s", "/v2.0/ports/%s", "/v2.0/subnets/%s", "/v2.0/routers/%s",
                "/v2.0/security-groups/%s"],
        "queries": ["/v2.0/networks?limit=abc", "/v2.0/networks?limit=-1", "/v2.0/ports?marker=%ff%fe",
                    "/v2.0/networks?mtu=1e400", "/v2.0/networks?sort_key=%00"],
        "name_limit": 255,
    },
    "placement": {
        "create": "/resource_providers", "wrap": None, "base": {}, "readonly": True,
        "list": "/resource_providers?name=%s", "key": "resource_providers", "item": "/resource_providers/%s",
        "ints": [], "bools": [],
        "ids": ["/resource_providers/%s", "/resource_providers/%s/inventories", "/allocations/%s"],
        "queries": ["/resource_providers?name=%ff%fe", "/resource_providers?limit=abc"],
        "name_limit": 200,
    },
}


def doc(spec, fields):
    d = dict(spec["base"])
    d.update(fields)
    return {spec["wrap"]: d} if spec["wrap"] else d


def raw_doc(spec, name_json_literal, extra=""):
    """A body with the name given as raw JSON text (for invalid UTF-8, 1e400, ...)."""
    inner = json.dumps(spec["base"])[1:-1]
    inner = ('"name": %s' % name_json_literal) + ((", " + inner) if inner else "") + extra
    text = "{" + inner + "}"
    if spec["wrap"]:
        text = '{"%s": %s}' % (spec["wrap"], text)
    return text


def field_raw(spec, field, literal):
    """A valid create with one field given as raw JSON text."""
    d = doc(spec, {"name": "bi-%s-%s" % (field, SFX)})
    marker = '"__FIELD__"'
    if spec["wrap"]:
        d[spec["wrap"]][field] = "__FIELD__"
    else:
        d[field] = "__FIELD__"
    text = json.dumps(d).replace(marker, literal)
    return text.encode()


created = collections.defaultdict(list)  # svc -> item paths to delete at the end


def note_created(svc, r):
    if not r.ok or not r.json:
        return
    spec = SPEC[svc]
    obj = r.json.get(spec["wrap"]) if spec["wrap"] else r.json
    if isinstance(obj, dict) and obj.get("id"):
        created[svc].append(spec["item"] % obj["id"])


def body_cases(svc):
    spec = SPEC[svc]
    ro = spec.get("readonly")
    inv = "4xx"                        # plainly invalid input
    maybe = "any"                      # valid or invalid depending on the API: no 5xx
    cases = []
    add = lambda case, raw, expect=inv: cases.append((case, raw, expect))  # noqa: E731
    add("malformed JSON", b'{"name": "x",,}')
    add("truncated JSON", b'{"name": "x", "a": [1, 2')
    add("garbage", b"{not json at all")
    add("empty body", b"")
    for lit in (b"[]", b'"a string"', b"42", b"null", b"true"):
        add("JSON not an object: %s" % lit.decode(), lit)
    if spec["wrap"]:
        for lit in ('"str"', "[]", "null", "42"):
            add("envelope is %s" % lit, ('{"%s": %s}' % (spec["wrap"], lit)).encode())
        add("envelope missing", json.dumps(spec["base"] | {"name": "x"}).encode())
    for lit in ("123", '{"a": 1}', "[1]", "true"):
        add("name of wrong type %s" % lit, raw_doc(spec, lit).encode())
    add("name null", raw_doc(spec, "null").encode(), maybe if svc == "image" else inv)
    add("name %d chars" % 300, raw_doc(spec, json.dumps("n" * 300)).encode())
    add("name of 900 KB", raw_doc(spec, json.dumps("n" * 900 * 1024)).encode())
    add("name invalid UTF-8", raw_doc(spec, '"bi-\xff\xfe"').encode("latin-1"))
    add("name lone surrogate", raw_doc(spec, '"bi-\\udc80"').encode())
    add("name with \\u0000", raw_doc(spec, '"bi-\\u0000-nul"').encode())
    add("name with a raw NUL byte", raw_doc(spec, '"bi-\x00-nul"').encode())
    # Only Nova's names refuse control characters (its printable-name pattern); Keystone,
    # Glance and Neutron take them.
    add("name with a control character", raw_doc(spec, '"bi-\\u0007"').encode(), inv if svc == "compute" else maybe)
    add("name ../../etc/passwd", raw_doc(spec, '"../../etc/passwd"').encode(), maybe)
    add("name %2e%2e%2f", raw_doc(spec, '"%2e%2e%2fetc%2fpasswd"').encode(), maybe)
    add("name SQL quote", raw_doc(spec, json.dumps("bi-'); DROP TABLE x;--")).encode(), maybe)
    # Nova's schemas (additionalProperties: false) and Neutron ("Unrecognized attribute(s)")
    # refuse an unknown field; Keystone keeps it as an extra, Glance as a property.
    strict = inv if svc in ("compute", "network") else maybe
    add("unknown field", raw_doc(spec, json.dumps("bi-unknown-" + SFX), ', "xyzzy_unknown": 1').encode(), strict)
    add("duplicate key", raw_doc(spec, '"bi-dup1"', ', "name": "bi-dup2"').encode(), maybe)
    add("deeply nested", b'{"name": ' + b"[" * 100000 + b"]" * 100000 + b"}")
    add("60000 unknown keys", raw_doc(spec, json.dumps("bi-keys-" + SFX),
                                      "".join(', "k%d": 0' % i for i in range(60000))).encode(), strict)
    add("a number of 500000 digits", raw_doc(spec, "9" * 500000).encode())
    add("deeply nested, unterminated", b"[" * 500000)
    for f in spec["ints"]:
        for lit, what in (('"64"', "string"), ('{"a": 1}', "object"), ("null", "null"), ("-1", "negative"),
                          ("1e400", "1e400"), ("18446744073709551616", "2^64"), ("9223372036854775808", "2^63"),
                          ("1.5", "fraction"), ("NaN", "NaN")):
            # A numeric string is accepted by some OpenStack APIs (Nova's flavor ram "64").
            add("%s %s" % (f, what), field_raw(spec, f, lit), maybe if what == "string" else inv)
    for f in spec["bools"]:
        add("%s as string \"maybe\"" % f, field_raw(spec, f, '"maybe"'))
        add("%s as object" % f, field_raw(spec, f, '{"a": 1}'))
    if ro:  # read-only API: every POST is refused (405), still with a JSON body
        cases = [(c, raw, "4xx") for c, raw, _ in cases]
    return cases


def run_bodies(svc):
    spec = SPEC[svc]
    for case, raw, expect in body_cases(svc):
        r = req(svc, "POST", spec["create"], raw=raw)
        judge(svc, "POST %s" % case, r, expect)
        note_created(svc, r)
    # The same over PUT/PATCH of an existing item, where there is one.
    if svc == "network":
        r = req(svc, "POST", "/v2.0/networks", body={"network": {"name": "bi-target-" + SFX}})
        note_created(svc, r)
        if r.ok:
            nid = r.json["network"]["id"]
            for case, raw in (("malformed", b'{"network": {"name": '), ("name 900 KB", json.dumps(
                    {"network": {"name": "n" * 900 * 1024}}).encode()), ("mtu 1e400", b'{"network": {"mtu": 1e400}}'),
                    ("name NUL", b'{"network": {"name": "a\\u0000b"}}'), ("not object", b"[1]")):
                judge(svc, "PUT network: %s" % case, req(svc, "PUT", "/v2.0/networks/" + nid, raw=raw), "4xx")
            for case, raw in (("cidr garbage", {"cidr": "10.0.0.0/99"}), ("cidr NUL", {"cidr": "10.0.0.0\u0000/24"}),
                              ("ip_version string", {"cidr": "10.5.0.0/24", "ip_version": "four"}),
                              ("ip_version 2^64", {"cidr": "10.5.0.0/24", "ip_version": 18446744073709551616}),
                              ("allocation pool reversed", {"cidr": "10.6.0.0/24", "allocation_pools": [
                                  {"start": "10.6.0.200", "end": "10.6.0.10"}]}),
                              ("gateway outside", {"cidr": "10.7.0.0/24", "gateway_ip": "300.1.1.1"})):
                b = {"subnet": {"network_id": nid, "ip_version": 4}}
                b["subnet"].update(raw)
                judge(svc, "POST subnet: %s" % case, req(svc, "POST", "/v2.0/subnets", body=b), "4xx")
            for case, b in (("port_range_min 2^64", {"port_range_min": 18446744073709551616, "port_range_max": 1}),
                            ("port_range negative", {"port_range_min": -5, "port_range_max": -1}),
                            ("protocol NUL", {"protocol": "tcp\u0000"})):
                sg = req(svc, "GET", "/v2.0/security-groups?name=default").json or {}
                sgs = sg.get("security_groups") or [{"id": "none"}]
                body = {"security_group_rule": dict({"security_group_id": sgs[0]["id"], "direction": "ingress",
                                                     "protocol": "tcp", "ethertype": "IPv4"}, **b)}
                judge(svc, "POST security group rule: %s" % case,
                      req(svc, "POST", "/v2.0/security-group-rules", body=body), "4xx")
    if svc == "image":
        r = req(svc, "POST", "/v2/images", body={"name": "bi-target-" + SFX, "disk_format": "raw",
                                                 "container_format": "bare"})
        note_created(svc, r)
        if r.ok:
            iid = r.json["id"]
            pt = "application/openstack-images-v2.1-json-patch"
            for case, raw in (("malformed", b'[{"op": "replace", '), ("not a list", b'{"op": "replace"}'),
                              ("bad op", b'[{"op": "explode", "path": "/name", "value": "x"}]'),
                              ("path traversal", b'[{"op": "replace", "path": "/../../etc/passwd", "value": "x"}]'),
                              ("min_disk -1", b'[{"op": "replace", "path": "/min_disk", "value": -1}]'),
                              ("min_ram 2^64", b'[{"op": "replace", "path": "/min_ram", "value": 18446744073709551616}]'),
                              ("name invalid UTF-8", b'[{"op": "replace", "path": "/name", "value": "\xff"}]'),
                              ("name 900 KB", json.dumps([{"op": "replace", "path": "/name",
                                                           "value": "n" * 900 * 1024}]).encode())):
                judge(svc, "PATCH image: %s" % case, req(svc, "PATCH", "/v2/images/" + iid, raw=raw, ctype=pt), "4xx")
            judge(svc, "PATCH image: wrong content type", req(svc, "PATCH", "/v2/images/" + iid,
                                                                 raw=b'[{"op": "replace", "path": "/name", "value": "y"}]'),
                  (415, 400))
            judge(svc, "POST member: member of wrong type", req(svc, "POST", "/v2/images/%s/members" % iid,
                                                                   body={"member": 42}), "4xx")
            judge(svc, "PUT tag with NUL", req(svc, "PUT", "/v2/images/%s/tags/a%%00b" % iid), "4xx")
            judge(svc, "PUT tag of 300 chars", req(svc, "PUT", "/v2/images/%s/tags/%s" % (iid, "t" * 300)), "4xx")
    if svc == "compute":
        for case, b in (("server name NUL", {"server": {"name": "a\u0000b", "imageRef": "x", "flavorRef": "1"}}),
                        ("server imageRef object", {"server": {"name": "a", "imageRef": {"a": 1}, "flavorRef": "1"}}),
                        ("server min_count 2^64", {"server": {"name": "a", "imageRef": "x", "flavorRef": "1",
                                                              "min_count": 18446744073709551616}}),
                        ("server min_count -1", {"server": {"name": "a", "imageRef": "x", "flavorRef": "1",
                                                            "min_count": -1}}),
                        ("server networks string", {"server": {"name": "a", "imageRef": "x", "flavorRef": "1",
                                                               "networks": "everything"}}),
                        ("server unknown field", {"server": {"name": "a", "imageRef": "x", "flavorRef": "1",
                                                             "xyzzy": 1}}),
                        ("keypair name ../../etc/passwd", {"keypair": {"name": "../../etc/passwd"}}),
                        ("keypair name NUL", {"keypair": {"name": "a\u0000b"}}),
                        ("keypair public_key garbage", {"keypair": {"name": "bi-k", "public_key": "ssh-rsa \u0000\xff"}}),
                        ("server group policies object", {"server_group": {"name": "g", "policies": {"a": 1}}}),
                        ("server group policy unknown", {"server_group": {"name": "g", "policies": ["chaos"]}}),
                        ("quota instances 2^64", None)):
            if b is None:
                r = req(svc, "PUT", "/v2.1/os-quota-sets/%s" % uuid.uuid4().hex,
                        raw=b'{"quota_set": {"instances": 18446744073709551616}}')
            else:
                path = {"server": "/v2.1/servers", "keypair": "/v2.1/os-keypairs",
                        "server_group": "/v2.1/os-server-groups"}[next(iter(b))]
                r = req(svc, "POST", path, body=b)
            judge(svc, "POST %s" % case, r, "4xx")
        judge(svc, "bad microversion header", req(svc, "GET", "/v2.1/servers",
                                                  headers={"OpenStack-API-Version": "compute \xff"}), "4xx")
        judge(svc, "microversion 2.99999999999999999999", req(svc, "GET", "/v2.1/servers", headers={
            "OpenStack-API-Version": "compute 2.99999999999999999999"}), "4xx")
        judge(svc, "action with unknown verb", req(svc, "POST", "/v2.1/servers/%s/action" % uuid.uuid4(),
                                                   body={"explode": None}), "4xx")
    if svc == "identity":
        ident = SERVICES["identity"]["url"]
        for case, raw in (("auth malformed", b'{"auth": '), ("auth not object", b"[]"),
                          ("auth methods string", b'{"auth": {"identity": {"methods": "password"}}}'),
                          ("auth user name NUL", json.dumps({"auth": {"identity": {"methods": ["password"], "password": {
                              "user": {"name": "adm\u0000in", "domain": {"id": "default"}, "password": "x"}}}}}).encode()),
                          ("auth password 900 KB", json.dumps({"auth": {"identity": {"methods": ["password"], "password": {
                              "user": {"name": "admin", "domain": {"id": "default"}, "password": "p" * 900 * 1024}}}}}).encode()),
                          ("auth user invalid UTF-8", b'{"auth": {"identity": {"methods": ["password"], "password": '
                                                      b'{"user": {"name": "\xff\xfe", "domain": {"id": "default"}, "password": "x"}}}}}'),
                          ("auth scope project id of wrong type", json.dumps({"auth": {"identity": {"methods": ["password"],
                              "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": ADMIN_PW}}},
                              "scope": {"project": {"id": 42}}}}).encode())):
            r = call("POST", ident + "/v3/auth/tokens", raw=raw, timeout=TIMEOUT)
            judge(svc, "POST auth/tokens: %s" % case, r, "4xx")
        for case, b in (("user password NUL", {"user": {"name": "bi-u-" + SFX, "password": "a\u0000b"}}),
                        ("user name 300", {"user": {"name": "u" * 300, "password": "x"}}),
                        ("user enabled string", {"user": {"name": "bi-u2-" + SFX, "enabled": "maybe"}}),
                        ("role name NUL", {"role": {"name": "a\u0000b"}})):
            path = "/v3/users" if "user" in b else "/v3/roles"
            r = req(svc, "POST", path, body=b)
            # A password is not a name: Keystone takes any string (it is hashed, never stored).
            judge(svc, "POST %s" % case, r, "any" if "password" in case else "4xx")
        judge(svc, "token header invalid UTF-8", call("GET", ident + "/v3/projects", headers={
            "X-Auth-Token": "\xff\xfe\x01"}, timeout=TIMEOUT), (401, 400))


BAD_IDS = [("%ff%fe", "invalid UTF-8"), ("..%2f..%2fetc%2fpasswd", "encoded traversal"),
           ("%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e%2e%2f traversal"), ("%00", "NUL"),
           ("a%00b", "NUL inside"), ("x" * 5000, "5000 chars"), ("%27%3B%20DROP%20TABLE%20x%3B--", "SQL quote"),
           ("-1", "negative"), ("18446744073709551616", "2^64")]


def run_paths(svc):
    spec = SPEC[svc]
    for tmpl in spec["ids"]:
        for bad, what in BAD_IDS:
            path = tmpl % bad
            judge(svc, "GET %s [%s]" % (tmpl.replace("%s", "{id}"), what), req(svc, "GET", path), "4xx")
        judge(svc, "DELETE %s [invalid UTF-8]" % tmpl.replace("%s", "{id}"), req(svc, "DELETE", tmpl % "%ff%fe"),
              "4xx")
    # Raw ../ in the path: the server may normalize it, but must not serve a file.
    for p in ("/../../etc/passwd", spec["item"] % "../../../../etc/passwd", spec["create"] + "/..%2f..%2f..%2fetc%2fpasswd"):
        r = req(svc, "GET", p)
        judge(svc, "GET %s" % p[:50], r, "4xx")
        if b"root:" in (r.body or b""):
            fail_row(svc, "GET %s serves /etc/passwd" % p[:40], "no file", "root: in body")
    for q in spec["queries"]:
        judge(svc, "GET %s" % q[:60], req(svc, "GET", q), "any")
    # A forged Host header must not end up in links or Location (links come from configuration).
    for p in ("/", spec["create"].rsplit("/", 1)[0] or "/", spec["list"] % "x" if spec["list"] else "/v2.1/flavors"):
        r = req(svc, "GET", p, headers={"Host": "evil.example.invalid:666",
                                        "X-Forwarded-Host": "evil.example.invalid",
                                        "X-Forwarded-Proto": "gopher"})
        judge(svc, "GET %s with a forged Host" % p[:40], r, "any")
        leak = b"evil.example" in (r.body or b"") or "evil.example" in str(r.header("Location") or "") \
            or b"gopher:" in (r.body or b"")
        (fail_row if leak else pass_row)(svc, "GET %s: forged Host not echoed" % p[:40], "not echoed",
                                         "ECHOED" if leak else "not echoed")


# ------------------------------------------------------------------ raw sockets
def addr(svc):
    u = urllib.parse.urlsplit(SERVICES[svc]["url"])
    return u.hostname, u.port


def raw_exchange(svc, data, shut_wr=False, timeout=TIMEOUT):
    """Sends bytes, optionally closes the write side, reads until the server closes or the
    first response is complete. Returns (status or None, body bytes, error text)."""
    s = socket.create_connection(addr(svc), timeout=timeout)
    buf = b""
    err = None
    try:
        try:
            s.sendall(data)
        except OSError as e:
            err = "send: %s" % e
        if shut_wr:
            s.shutdown(socket.SHUT_WR)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                err = "timeout"
                break
            except OSError as e:
                err = "recv: %s" % e
                break
            if not chunk:
                break
            buf += chunk
            head, sep, rest = buf.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"content-length:\s*(\d+)", head, re.I)
                if m and len(rest) >= int(m.group(1)):
                    break
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", buf)
    status = int(m.group(1)) if m else None
    body = buf.partition(b"\r\n\r\n")[2]
    return status, body, err


def http_head(svc, method, path, extra, length):
    host, port = addr(svc)
    h = "%s %s HTTP/1.1\r\nHost: %s:%d\r\nX-Auth-Token: %s\r\nContent-Type: application/json\r\n" \
        "Content-Length: %d\r\n%s\r\n" % (method, path, host, port, TOKEN, length, extra)
    return h.encode()


def exists(svc, name):
    spec = SPEC[svc]
    if spec["list"]:
        r = req(svc, "GET", spec["list"] % urllib.parse.quote(name))
    else:
        r = req(svc, "GET", "/v2.1/flavors/detail")
    items = (r.json or {}).get(spec["key"]) or []
    return any(i.get("name") == name for i in items), r.status


def run_http_level(svc):
    spec = SPEC[svc]
    # A Content-Length larger than the body, then the write side closed: not executed.
    name = "bi-short-%s-%s" % (svc, SFX)
    body = json.dumps(doc(spec, {"name": name})).encode()
    status, rbody, err = raw_exchange(svc, http_head(svc, "POST", spec["create"], "", len(body) + 100) + body,
                                      shut_wr=True, timeout=TIMEOUT)
    if status is None:
        if err == "timeout":
            fail_row(svc, "short body: answered or closed", "4xx|close", "no answer within %d s" % TIMEOUT)
        else:
            pass_row(svc, "short body: answered or closed", "4xx|close", "closed (%s)" % (err or "no answer"))
    else:
        judge(svc, "short body: answer", None, "4xx", status=status, body=rbody)
    time.sleep(0.5)
    there, st = exists(svc, name)
    (fail_row if there else pass_row)(svc, "short body: nothing created", "absent",
                                      "CREATED" if there else "absent (list %s)" % st)
    # A body over the limit (1 MiB buffered bodies): 413, JSON.
    big = b'{"name": "' + b"b" * (2 * 1024 * 1024) + b'"}'
    status, rbody, err = raw_exchange(svc, http_head(svc, "POST", spec["create"], "", len(big)) + big)
    if status is None and err and err.startswith("send"):
        # The server answered and hung up while we were still sending: the kernel's reset
        # may have eaten its answer. Refused, which is what matters.
        pass_row(svc, "body over the limit", "413", "closed while sending (%s)" % err)
    elif status is None:
        fail_row(svc, "body over the limit", "413", "no answer (%s)" % err)
    else:
        judge(svc, "body over the limit", None, (413, 400) if not spec.get("readonly") else "4xx",
              status=status, body=rbody)
    # A declared Content-Length far over the limit, nothing sent: refused at once.
    status, rbody, err = raw_exchange(svc, http_head(svc, "POST", spec["create"], "", 10 ** 12), shut_wr=False,
                                      timeout=10)
    if status is None:
        fail_row(svc, "Content-Length 10^12, no body", "413", "no answer within 10 s (%s)" % err)
    else:
        judge(svc, "Content-Length 10^12, no body", None, (413, 400) if not spec.get("readonly") else "4xx",
              status=status, body=rbody)
    # Protocol garbage.
    for case, data, expect in (
            ("request line garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n", "4xx|close"),
            ("header of 100 KB", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n", "4xx|close"),
            ("bad chunk size", http_head(svc, "POST", spec["create"], "Transfer-Encoding: chunked\r\n", 0)
             .replace(b"Content-Length: 0\r\n", b"") + b"zz\r\nabc\r\n0\r\n\r\n", "4xx|close"),
            ("Content-Length negative", http_head(svc, "POST", spec["create"], "", 0)
             .replace(b"Content-Length: 0", b"Content-Length: -5") + b"{}", "4xx|close"),
            ("Content-Length 2^64", http_head(svc, "POST", spec["create"], "", 0)
             .replace(b"Content-Length: 0", b"Content-Length: 18446744073709551616") + b"{}", "4xx|close"),
            ("path with raw NUL", b"GET /\x00/../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", "4xx|close")):
        status, rbody, err = raw_exchange(svc, data, shut_wr=False, timeout=10)
        if status is None:
            if err == "timeout":
                fail_row(svc, case, expect, "no answer and not closed within 10 s")
            else:
                pass_row(svc, case, expect, "closed")
        else:
            judge(svc, case, None, "4xx", status=status, body=rbody)


def slow_client(svc, results):
    """Trickles a request head one byte a second; the server must hang up within its head
    deadline (30 s). Returns after SLOW_BOUND seconds at most."""
    host, port = addr(svc)
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 200
    t0 = time.time()
    s = socket.create_connection((host, port), timeout=5)
    s.settimeout(1.0)
    closed_after = None
    i = 0
    try:
        while time.time() - t0 < SLOW_BOUND:
            try:
                s.send(head[i:i + 1] if i < len(head) else b"s")
            except OSError:
                closed_after = time.time() - t0
                break
            i += 1
            try:
                data = s.recv(4096)
                if not data:
                    closed_after = time.time() - t0
                    break
                # An answer (408) before closing is fine: note it and wait for the close.
                results.setdefault(svc + " answer", data[:40])
            except socket.timeout:
                pass
            except OSError:
                closed_after = time.time() - t0
                break
    finally:
        s.close()
    results[svc] = closed_after


def probe(svc, timeout):
    """A normal request: GET / (and an authenticated list) answered within timeout."""
    t0 = time.time()
    r = req(svc, "GET", "/", token=False, timeout=timeout)
    return r, time.time() - t0


def idle_connections(svc):
    host, port = addr(svc)
    socks = []
    opened = 0
    try:
        for i in range(IDLE_CONNS):
            try:
                s = socket.create_connection((host, port), timeout=5)
            except OSError:
                break
            opened += 1
            socks.append(s)
            if i % 2 == 0:  # half ask one thing and keep the connection open
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n")
        time.sleep(1.0)
        r, secs = probe(svc, 10)
        ok = isinstance(r.status, int) and r.status < 500
        (pass_row if ok else fail_row)(svc, "GET / with %d idle keep-alive connections open" % opened, "answered",
                                       "%s in %.1f s" % (r.status, secs))
        spec = SPEC[svc]
        path = spec["list"] % "x" if spec["list"] else "/v2.1/flavors"
        t0 = time.time()
        r = req(svc, "GET", path, timeout=10)
        ok = r.ok
        (pass_row if ok else fail_row)(svc, "authenticated list with %d idle connections open" % opened, "2xx",
                                       "%s in %.1f s" % (r.status, time.time() - t0))
    finally:
        for s in socks:
            s.close()


# ------------------------------------------------------------------ run
t_start = time.time()
slow = {}
slow_threads = [threading.Thread(target=slow_client, args=(svc, slow), daemon=True) for svc in SERVICES]
for t in slow_threads:
    t.start()
time.sleep(3)
# A normal request while every service has a client trickling its head (3 bytes in so far).
for svc in SERVICES:
    r, secs = probe(svc, 10)
    ok = isinstance(r.status, int) and r.status < 500 and secs < 5
    (pass_row if ok else fail_row)(svc, "GET / while a slow client trickles", "answered < 5 s",
                                   "%s in %.1f s" % (r.status, secs))

# While the slow clients trickle: the body, path and HTTP-level checks, one thread per service.
def battery(svc):
    try:
        run_bodies(svc)
        run_paths(svc)
        run_http_level(svc)
    except Exception as e:  # noqa: BLE001 - a crash of the checker is a failure, not a stop
        fail_row(svc, "checker", "no exception", "%s: %s" % (type(e).__name__, e))


bt = [threading.Thread(target=battery, args=(svc,)) for svc in SERVICES]
for t in bt:
    t.start()
for t in bt:
    t.join(150)
for svc in SERVICES:
    r, secs = probe(svc, 10)
    ok = isinstance(r.status, int) and r.status < 500
    (pass_row if ok else fail_row)(svc, "GET / after the battery", "answered", "%s in %.1f s" % (r.status, secs))
for t in slow_threads:
    t.join(SLOW_BOUND + 5)
for svc in SERVICES:
    c = slow.get(svc)
    if c is not None and c <= SLOW_DEADLINE + 5:
        pass_row(svc, "slow client dropped within the head deadline", "<= %d s" % (SLOW_DEADLINE + 5),
                 "closed after %.0f s" % c)
    else:
        fail_row(svc, "slow client dropped within the head deadline", "<= %d s" % (SLOW_DEADLINE + 5),
                 "still open after %d s" % SLOW_BOUND if c is None else "closed after %.0f s" % c)
t_slow = time.time() - t_start

it = [threading.Thread(target=idle_connections, args=(svc,)) for svc in SERVICES]
for t in it:
    t.start()
for t in it:
    t.join(60)

# Clean up what was made, then: still the same processes, still answering.
for svc, paths in created.items():
    for p in paths:
        req(svc, "DELETE", p)


def listening_pid(port):
    import subprocess
    out = subprocess.run(["ss", "-Hltnp", "sport = :%d" % port], capture_output=True, text=True).stdout
    m = re.search(r"pid=(\d+)", out)
    return int(m.group(1)) if m else None


for svc, info in SERVICES.items():
    r, secs = probe(svc, 10)
    if svc not in DEAD:
        judge(svc, "GET / at the end", r, "any")
    alive_now = alive(svc)
    lp = listening_pid(addr(svc)[1])
    same = alive_now and lp == info["pid"]
    if same:
        pass_row(svc, "same process at the end", "pid %d" % info["pid"], "pid %s listening, alive" % lp, force=True)
    else:
        fail_row(svc, "same process at the end", "pid %d" % info["pid"],
                 "pid %s listening, %s" % (lp, "alive" if alive_now else "GONE"), force=True)

# ------------------------------------------------------------------ report
print()
print("%-10s %-64s %-10s %s" % ("service", "case", "expected", "got"))
order = list(SERVICES)
for svc, case, exp, got, ok in sorted(rows, key=lambda r: order.index(r[0])):
    print(("  " if ok else "X ") + "%-10s %-64s %-10s %s" % (svc, case[:64], exp[:10], got[:200]))
print()
total = collections.Counter(r[0] for r in rows)
bad = collections.Counter(r[0] for r in rows if not r[4])
for svc in SERVICES:
    print("%-10s %4d checks, %4d failed" % (svc, total[svc], bad[svc]))
fails = [r for r in rows if not r[4]]
print("bad_input: %d checks, %d failed, %.0f s (slow-client phase %.0f s)" % (len(rows), len(fails),
                                                                               time.time() - t_start, t_slow))
if fails:
    print("\nFAILURES:")
    for svc, case, exp, got, ok in fails:
        print("  %s: %s: expected %s, got %s" % (svc, case, exp, got[:240]))
sys.exit(1 if fails else 0)
