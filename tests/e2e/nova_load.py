#!/usr/bin/env python3
"""Concurrent server creates against the Nova v2.1 REST API, then checks placement.

  nova_load.py create N --flavor F --image I [--group G] [--prefix P]
      creates N servers at once (a thread per request, all released together), waits for
      every one to leave BUILD, prints a JSON summary {active, error, hosts: {host: n},
      faults: [...]} and exits 1 unless all are ACTIVE.
  nova_load.py check-placement [--cpu-ratio 4 --ram-ratio 1 --disk-ratio 1]
      for every hypervisor (os-hypervisors/detail, usages from placement): used <= total x
      ratio for vCPUs, RAM and disk; prints them and exits 1 on any overcommit.
  nova_load.py usage-total
      prints the sum of all hypervisors' used vCPUs, RAM and disk as JSON (all zero once
      every server is gone).
  nova_load.py delete-all [--prefix P]
      deletes the project's servers (with the prefix) and waits until they are gone.

Authentication from the usual OS_* variables (password, project scope). Endpoints from
the token's catalog (compute, image), public interface.
"""
import argparse
import json
import os
import sys
import threading
import time

import requests


def authenticate():
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": os.environ["OS_USERNAME"],
            "domain": {"name": os.environ.get("OS_USER_DOMAIN_NAME", "Default")},
            "password": os.environ["OS_PASSWORD"]}}},
        "scope": {"project": {
            "name": os.environ["OS_PROJECT_NAME"],
            "domain": {"name": os.environ.get("OS_PROJECT_DOMAIN_NAME", "Default")}}}}}
    r = requests.post(os.environ["OS_AUTH_URL"].rstrip("/") + "/auth/tokens", json=body,
                      timeout=30)
    r.raise_for_status()
    catalog = {}
    for entry in r.json()["token"]["catalog"]:
        for ep in entry["endpoints"]:
            if ep["interface"] == "public":
                catalog[entry["type"]] = ep["url"].rstrip("/")
    return r.headers["X-Subject-Token"], catalog


class Cloud:
    def __init__(self):
        self.token, self.catalog = authenticate()
        self.session = requests.Session()
        self.session.headers.update({"X-Auth-Token": self.token,
                                     "Content-Type": "application/json"})

    def compute(self, method, path, **kw):
        return self.session.request(method, self.catalog["compute"] + path, timeout=60, **kw)

    def placement(self, method, path, **kw):
        headers = {"OpenStack-API-Version": "placement 1.10"}
        return self.session.request(method, self.catalog["placement"] + path, timeout=60,
                                    headers=headers, **kw)


def find_id(cloud, kind, name_or_id):
    r = cloud.compute("GET", f"/{kind}/{name_or_id}")
    if r.status_code == 200:
        return name_or_id
    if kind == "flavors":
        for f in cloud.compute("GET", "/flavors").json()["flavors"]:
            if f["name"] == name_or_id:
                return f["id"]
    raise SystemExit(f"no {kind} {name_or_id}")


def image_id(cloud, name_or_id):
    r = cloud.session.get(cloud.catalog["image"] + "/v2/images", params={"name": name_or_id},
                          timeout=30)
    r.raise_for_status()
    images = r.json()["images"]
    return images[0]["id"] if images else name_or_id


def cmd_create(args):
    cloud = Cloud()
    flavor = find_id(cloud, "flavors", args.flavor)
    image = image_id(cloud, args.image)
    start = threading.Barrier(args.count)
    ids, errors = [None] * args.count, []

    def create(i):
        server = {"name": f"{args.prefix}-{i}", "flavorRef": flavor, "imageRef": image}
        body = {"server": server}
        if args.group:
            body["os:scheduler_hints"] = {"group": args.group}
        start.wait()
        r = cloud.compute("POST", "/servers", json=body)
        if r.status_code != 202:
            errors.append(f"create {i}: {r.status_code} {r.text[:300]}")
        else:
            ids[i] = r.json()["server"]["id"]

    threads = [threading.Thread(target=create, args=(i,)) for i in range(args.count)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    accepted = time.monotonic() - began
    pending = {i for i in ids if i}
    states, hosts, faults = {}, {}, []
    deadline = time.monotonic() + args.timeout
    while pending and time.monotonic() < deadline:
        r = cloud.compute("GET", "/servers/detail", params={"name": f"^{args.prefix}-"})
        r.raise_for_status()
        for s in r.json()["servers"]:
            if s["id"] in pending and s["status"] != "BUILD":
                pending.discard(s["id"])
                states[s["id"]] = s["status"]
                host = s.get("OS-EXT-SRV-ATTR:host") or "?"
                hosts[host] = hosts.get(host, 0) + 1
                if s["status"] == "ERROR":
                    faults.append(s.get("fault", {}).get("message", ""))
        time.sleep(0.2)
    summary = {
        "requested": args.count, "accepted": len([i for i in ids if i]),
        "active": sum(1 for v in states.values() if v == "ACTIVE"),
        "error": sum(1 for v in states.values() if v == "ERROR"),
        "still_building": len(pending), "hosts": hosts, "faults": faults[:5],
        "create_errors": errors[:5], "accept_seconds": round(accepted, 2),
        "total_seconds": round(time.monotonic() - began, 2)}
    print(json.dumps(summary, indent=1))
    return 0 if summary["active"] == args.count else 1


def hypervisors(cloud):
    r = cloud.compute("GET", "/os-hypervisors/detail")
    r.raise_for_status()
    return r.json()["hypervisors"]


def cmd_check_placement(args):
    """used <= total x ratio for every host (the totals are net of reserved amounts here:
    the simulated hosts reserve nothing)."""
    cloud = Cloud()
    bad = 0
    for h in hypervisors(cloud):
        line = [h["hypervisor_hostname"]]
        for key, ratio in (("vcpus", args.cpu_ratio), ("memory_mb", args.ram_ratio),
                           ("local_gb", args.disk_ratio)):
            used, cap = h[key + "_used"], h[key] * ratio
            line.append(f"{key} {used}/{cap:g}")
            if used > cap:
                bad += 1
                line.append("OVERCOMMITTED")
        print(" ".join(line))
    return 1 if bad else 0


def cmd_usage_total(_):
    cloud = Cloud()
    total = {"vcpus_used": 0, "memory_mb_used": 0, "local_gb_used": 0}
    for h in hypervisors(cloud):
        for k in total:
            total[k] += h[k]
    print(json.dumps(total))
    return 0


def cmd_delete_all(args):
    cloud = Cloud()
    r = cloud.compute("GET", "/servers", params={"name": f"^{args.prefix}"})
    r.raise_for_status()
    ids = [s["id"] for s in r.json()["servers"]]
    for i in ids:
        cloud.compute("DELETE", f"/servers/{i}")
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        left = [s for s in cloud.compute("GET", "/servers", params={"name": f"^{args.prefix}"})
                .json()["servers"]]
        if not left:
            print(f"deleted {len(ids)}")
            return 0
        time.sleep(0.3)
    print(f"{len(left)} servers still there", file=sys.stderr)
    return 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create")
    c.add_argument("count", type=int)
    c.add_argument("--flavor", required=True)
    c.add_argument("--image", required=True)
    c.add_argument("--group")
    c.add_argument("--prefix", default="load")
    c.add_argument("--timeout", type=float, default=300)
    cp = sub.add_parser("check-placement")
    cp.add_argument("--cpu-ratio", type=float, default=4.0)
    cp.add_argument("--ram-ratio", type=float, default=1.0)
    cp.add_argument("--disk-ratio", type=float, default=1.0)
    sub.add_parser("usage-total")
    d = sub.add_parser("delete-all")
    d.add_argument("--prefix", default="load")
    d.add_argument("--timeout", type=float, default=300)
    args = p.parse_args()
    return {"create": cmd_create, "check-placement": cmd_check_placement,
            "usage-total": cmd_usage_total, "delete-all": cmd_delete_all}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
