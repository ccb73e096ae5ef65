#!/usr/bin/env python3
"""Where the ring puts an object (swift-get-nodes, for object_storage_repl_test.sh).

object_storage_repl_nodes.py RING ACCOUNT CONTAINER [OBJECT]
  one line per primary, replica 0 first: "ip:port device partition route hash_dir",
  route being the object server's /o/<device>/<part>/<hex a>/<hex c>/<hex o> (or the
  container's /c/<device>/<part>/<hex a>/<hex c>).
object_storage_repl_nodes.py RING --device-id DEVICE
  the id of the device named DEVICE.
"""
import hashlib
import json
import signal
import sys


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # the caller may read the first line only
    ring = json.load(open(sys.argv[1]))
    devices = {d["id"]: d for d in ring["devices"]}
    if sys.argv[2] == "--device-id":
        print(next(d["id"] for d in ring["devices"] if d["device"] == sys.argv[3]))
        return
    names = sys.argv[2:5]
    name = "/" + "/".join(names)
    digest = hashlib.md5((ring["hash_prefix"] + name).encode()).digest()
    part = int.from_bytes(digest[:4], "big") >> (32 - ring["part_power"])
    hexes = "/".join(s.encode().hex() for s in names)
    hash_dir = hashlib.md5(name.encode()).hexdigest()
    kind = "o" if len(names) == 3 else "c"
    for replica in ring["assignment"]:
        d = devices[replica[part]]
        print("%s:%d %s %d /%s/%s/%d/%s %s" % (d["ip"], d["port"], d["device"], part, kind,
                                               d["device"], part, hexes, hash_dir))


main()
