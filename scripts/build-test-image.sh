#!/usr/bin/env bash
# Builds the local test image (default portolan/busybox:test) without any registry:
# a rootfs holding only the statically linked busybox from Debian's busybox-static,
# one symlink per applet, /etc/passwd and /etc/group, /tmp; then `docker import`.
#
# Usage: scripts/build-test-image.sh [--force] [IMAGE]
#   --force   rebuild even if IMAGE already exists (default: skip, so `make test` stays cheap)
# Env:      BUSYBOX=/path/to/static/busybox (default /bin/busybox), DOCKER_HOST as usual.
set -euo pipefail

IMAGE=portolan/busybox:test
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build-test-image: unknown option $arg" >&2; exit 2 ;;
    *) IMAGE="$arg" ;;
  esac
done
BUSYBOX="${BUSYBOX:-/bin/busybox}"

die() { echo "build-test-image: $*" >&2; exit 1; }

command -v docker >/dev/null 2>&1 \
  || die "the docker CLI is not installed; run: apt-get install -y docker.io"
docker info >/dev/null 2>&1 \
  || die "cannot reach the Docker engine at ${DOCKER_HOST:-unix:///var/run/docker.sock}; start dockerd (e.g. 'dockerd >/tmp/dockerd.log 2>&1 &', or run .ci/run which does it for you)"

if [[ $FORCE -eq 0 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "build-test-image: $IMAGE already exists, skipping (use --force to rebuild)"
  exit 0
fi

[[ -x "$BUSYBOX" ]] \
  || die "$BUSYBOX not found; run: apt-get install -y busybox-static"
# The plain 'busybox' package also ships /bin/busybox, but dynamically linked: useless in an empty rootfs.
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked; run: apt-get install -y busybox-static"
fi

# Applets the tests and docs rely on; the image gets every applet the binary has, these must be among them.
REQUIRED=(sh echo sleep cat ls nc httpd ps top wget stty printf yes date hostname env id ip seq
          tail head grep sed awk kill mkdir rm touch tr wc uname true false test)
mapfile -t APPLETS < <("$BUSYBOX" --list)
for a in "${REQUIRED[@]}"; do
  printf '%s\n' "${APPLETS[@]}" | grep -qx -- "$a" || die "$BUSYBOX lacks the '$a' applet"
done

ROOTFS="$(mktemp -d "${TMPDIR:-/tmp}/portolan-rootfs.XXXXXX")"
trap 'rm -rf "$ROOTFS"' EXIT

echo "build-test-image: building $IMAGE from $BUSYBOX (${#APPLETS[@]} applets)"
mkdir -p "$ROOTFS"/{bin,etc,tmp,root,proc,sys,dev,var/www}
chmod 1777 "$ROOTFS/tmp"
chmod 0700 "$ROOTFS/root"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for a in "${APPLETS[@]}"; do
  [[ "$a" == busybox || "$a" == */* ]] && continue
  ln -sf busybox "$ROOTFS/bin/$a"
done
cat > "$ROOTFS/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$ROOTFS/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
echo 'portolan test image' > "$ROOTFS/var/www/index.html"

OLD_ID="$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
tar --numeric-owner --owner=0 --group=0 -C "$ROOTFS" -c . \
  | docker import \
      -c 'CMD ["/bin/sh"]' \
      -c 'ENV PATH=/bin' \
      -c 'LABEL io.portolan.test-image=true' \
      -m "portolan test image: busybox-static rootfs" \
      - "$IMAGE" >/dev/null

# Smoke test: an image that cannot run a shell would only fail later, far from the cause.
out="$(docker run --rm --label io.portolan.test=true "$IMAGE" sh -c 'echo portolan-ok')" \
  || die "the new image $IMAGE does not start"
[[ "$out" == portolan-ok ]] || die "smoke test of $IMAGE printed '$out', expected 'portolan-ok'"
# With --force the previous build would stay behind as a dangling image; drop it unless a container still uses it.
NEW_ID="$(docker image inspect -f '{{.Id}}' "$IMAGE")"
if [[ -n "$OLD_ID" && "$OLD_ID" != "$NEW_ID" ]]; then
  docker rmi "$OLD_ID" >/dev/null 2>&1 || true
fi
echo "build-test-image: built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
