#!/usr/bin/env bash
# Runs Debian's Tempest 33 against a running Gureum (the all-in-one, or what a test deployed):
# ../shared/tools/tempest-allinone.sh (the interop lists read from tests/conformance/interop/)
# with its catalog check made safe under pipefail (grep -q
# closing the pipe early made the openstack client fail, so services counted as absent).
#   ../shared/tools/tempest-allinone.sh SELECTION [WORKSPACE]
# SELECTION: a service (identity image compute network volume object_storage), a regex
# (anything with a backslash or ^), interop-compute / interop-storage (the lists in
# ../shared/reference/interop/), or interop-volume (their volume tests). Needs: source /etc/gureum/admin-openrc; an image and a flavor
# for server tests in TEMPEST_IMAGE / TEMPEST_FLAVOR (ids), else the first active image and the
# smallest flavor; TEMPEST_IMAGE_ALT: a second image (image_ref_alt; else the same one);
# TEMPEST_COMPUTE_MICROVERSIONS="2.1 2.15" lets compute's tests of later microversions run,
# as TEMPEST_VOLUME_MICROVERSIONS="3.0 3.70" lets the volume tests of later
# microversions run (Tempest's default range skips them); TEMPEST_EXTRA_CONF: more lines
# at the end of tempest.conf (such as a [network] section). Prints Tempest's summary and keeps the log in WORKSPACE/run-<selection>.log.
set -uo pipefail
sel=${1:?selection}; ws=${2:-/tmp/gureum-tempest}
# the interop lists: tests/conformance/interop/ (copies of ../shared/reference/interop/)
interop=$(cd "$(dirname "$0")/../conformance/interop" && pwd)
: "${OS_AUTH_URL:?source /etc/gureum/admin-openrc first}"
command -v tempest >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q tempest >/dev/null
[ -d "$ws" ] || tempest init "$ws" >/dev/null
img=${TEMPEST_IMAGE:-$(openstack image list --status active -f value -c ID | head -1)}
flv=${TEMPEST_FLAVOR:-$(openstack flavor list --sort-column RAM -f value -c ID | head -1)}
# A second flavor, so that Tempest's flavor filters and resizes see two (the same one when
# there is only one).
flv_alt=${TEMPEST_FLAVOR_ALT:-$(openstack flavor list --sort-column RAM -f value -c ID | grep -vx "$flv" | head -1)}
flv_alt=${flv_alt:-$flv}
has() { openstack catalog list -f value -c Type | grep -x "$1" >/dev/null && echo true || echo false; }
cat > "$ws/etc/tempest.conf" <<CONF
[DEFAULT]
log_dir = $ws/logs
[auth]
admin_username = ${OS_USERNAME}
admin_password = ${OS_PASSWORD}
admin_project_name = ${OS_PROJECT_NAME}
admin_domain_name = Default
use_dynamic_credentials = true
[identity]
uri_v3 = ${OS_AUTH_URL%/}
auth_version = v3
region = ${OS_REGION_NAME:-RegionOne}
[identity-feature-enabled]
api_v2 = false
[compute]
image_ref = ${img}
image_ref_alt = ${TEMPEST_IMAGE_ALT:-${img}}
flavor_ref = ${flv}
flavor_ref_alt = ${flv_alt}
build_timeout = 300
${TEMPEST_COMPUTE_MICROVERSIONS:+min_microversion = ${TEMPEST_COMPUTE_MICROVERSIONS% *}
max_microversion = ${TEMPEST_COMPUTE_MICROVERSIONS#* }}
[volume]
catalog_type = volumev3
${TEMPEST_VOLUME_MICROVERSIONS:+min_microversion = ${TEMPEST_VOLUME_MICROVERSIONS% *}
max_microversion = ${TEMPEST_VOLUME_MICROVERSIONS#* }}
[volume-feature-enabled]
extend_attached_volume = true
[service_available]
nova = $(has compute)
glance = $(has image)
neutron = $(has network)
cinder = $(has volumev3)
swift = $(has object-store)
horizon = false
[validation]
run_validation = false
[network-feature-enabled]
api_extensions = $(openstack extension list --network -f value -c Alias 2>/dev/null | paste -sd, - | grep . || echo all)
[object-storage-feature-enabled]
discoverable_apis = all
${TEMPEST_EXTRA_CONF:-}
CONF
case "$sel" in
  interop-volume)  # the interop list's volume tests: tempest.api.volume and compute's attach
             grep -hE '^tempest\.api\.(volume|compute\.volumes)\.' "$interop"/*-required.txt |
               sed -e 's/\./\\./g' -e 's/^/^/' -e 's/$/(\\[|$)/' > "$ws/$sel.regex"
             args=(--include-list "$ws/$sel.regex") ;;
  interop-*) sed -e 's/\./\\./g' -e 's/^/^/' -e 's/$/(\\[|$)/' "$interop/${sel#interop-}-required.txt" > "$ws/$sel.regex"
             args=(--include-list "$ws/$sel.regex") ;;
  *\\*|^*)   args=(--regex "$sel") ;;
  *)         args=(--regex "^tempest\.api\.$sel\.") ;;
esac
name=${sel//[^A-Za-z0-9_-]/_}
[ ${#name} -le 80 ] || name=regex-$(printf '%s' "$sel" | md5sum | cut -c1-12)
log="$ws/run-$name.log"
(cd "$ws" && tempest run "${args[@]}" --concurrency 2) > "$log" 2>&1
grep -E "^ - (Passed|Failed|Skipped|Expected Fail|Unexpected Success):" "$log"
echo "failed tests: grep -E '^\{[0-9]\} .*FAILED' $log"
