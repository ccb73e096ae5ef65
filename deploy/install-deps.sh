#!/bin/sh
# Installs the Debian packages listed in deploy/packages.txt that are not installed yet.
#
# Shared by ./deploy/allinone.sh and ./tests/run.sh, so it must be cheap when there is
# nothing to do: one dpkg-query call decides, and apt-get runs only for what is missing.
# Idempotent and non-interactive. Usage: deploy/install-deps.sh [PACKAGE_LIST]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
list=${1:-"$here/packages.txt"}

# One package per line; '#' starts a comment; blank lines are ignored.
wanted=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' | sort -u)

# dpkg-query prints "install ok installed" only for fully installed packages; anything
# else (unknown, half-configured, removed with config left) counts as missing.
missing=""
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    "install ok installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done

if [ -z "$missing" ]; then
  echo "install-deps: all $(echo "$wanted" | wc -l) packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages:$missing" >&2
  echo "install-deps: run as root to install them" >&2
  exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Services must not be started by package scripts on a host without systemd (they would
# start with Debian's defaults, behind our back); allinone.sh starts what it needs.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 0755 "$policy"
  made_policy=1
fi
cleanup() { if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT INT TERM

apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing
echo "install-deps: installed:$missing"
