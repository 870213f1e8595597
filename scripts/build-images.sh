#!/usr/bin/env bash
# Builds, without any container registry, the two images CI runs the battery against:
#   swf-conformance/reference:local   this project's reference SWF on a Debian rootfs with Node
#   swf-conformance/moto:local        moto_server installed with pip into a Debian rootfs
# One minimal Debian rootfs is made with debootstrap (from Debian's package mirror), each image
# gets what it needs, and `docker import` turns it into an image.
#
#   sudo apt-get install debootstrap docker.io    # once
#   npm ci && sudo scripts/build-images.sh         # DOCKER_HOST as for your engine
set -euo pipefail
cd "$(dirname "$0")/.."
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d "${TMPDIR:-/tmp}/swf-conformance-images.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -d node_modules ] || { echo "build-images: run npm ci first (the reference image carries node_modules)" >&2; exit 2; }

base="$work/base"
echo "build-images: debootstrap bookworm into $base"
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$base" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

echo "build-images: swf-conformance/moto:local (pip install moto[server]==${MOTO_VERSION:-5.2.1})"
moto="$work/moto"
cp -a "$base" "$moto"
# The wheels are fetched by the host's pip (bookworm's Python is 3.11, as the host's must be)
# and installed offline in the rootfs: the host's pip already knows the way to the package index.
python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
  || { echo "build-images: the host's python3 must be 3.11, as Debian bookworm's is" >&2; exit 2; }
python3 -m pip download --quiet --dest "$moto/tmp/wheels" "moto[server]==${MOTO_VERSION:-5.2.1}"
chroot "$moto" python3 -m venv /opt/moto
env -u PIP_FIND_LINKS -u PIP_CERT chroot "$moto" /opt/moto/bin/pip install --quiet --no-index --find-links /tmp/wheels "moto[server]==${MOTO_VERSION:-5.2.1}"
rm -rf "$moto/tmp/wheels"
tar -C "$moto" -c . | docker import \
  --change 'CMD ["/opt/moto/bin/moto_server", "-H", "0.0.0.0", "-p", "5000"]' \
  --change 'EXPOSE 5000' - swf-conformance/moto:local >/dev/null

echo "build-images: swf-conformance/reference:local (Node $(node --version) and this project)"
ref="$work/reference"
cp -a "$base" "$ref"
cp "$(command -v node)" "$ref/usr/local/bin/node"
mkdir -p "$ref/opt/swf-conformance"
git ls-files -z | tar --null -T - -c | tar -x -C "$ref/opt/swf-conformance"
cp -a node_modules "$ref/opt/swf-conformance/"
[ -d dist ] && cp -a dist "$ref/opt/swf-conformance/"   # the build, so that serve starts without compiling
tar -C "$ref" -c . | docker import \
  --change 'WORKDIR /opt/swf-conformance' \
  --change 'CMD ["/usr/local/bin/node", "bin/swf-conformance.js", "serve", "--host", "0.0.0.0", "--port", "8080"]' \
  --change 'EXPOSE 8080' - swf-conformance/reference:local >/dev/null

# The suite itself, for teams outside Node: the same rootfs, the CLI as its entry point.
#   docker run --rm --network host -v "$PWD/report:/report" swf-conformance/suite:local run --endpoint http://127.0.0.1:5000 --report /report
echo "build-images: swf-conformance/suite:local (the CLI as entry point)"
tar -C "$ref" -c . | docker import \
  --change 'WORKDIR /opt/swf-conformance' \
  --change 'ENTRYPOINT ["/usr/local/bin/node", "/opt/swf-conformance/bin/swf-conformance.js"]' \
  --change 'CMD ["--help"]' - swf-conformance/suite:local >/dev/null

docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^swf-conformance/'
