"""The bundle manifest reward-model.json (docs/model-contract.md, section 4), file digests, revision lookup."""

import collections
import glob
import hashlib
import json
import os
import re

from . import contract

_COMMIT = re.compile(r"^[0-9a-f]{40}$")


def fmt_json(obj, indent=0):
    """JSON with 2-space indent, key order kept, lists of numbers on one line."""
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = ["%s%s: %s" % (inner, json.dumps(k, ensure_ascii=False), fmt_json(v, indent + 1))
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in obj):
            return "[" + ", ".join(json.dumps(v) for v in obj) + "]"
        return "[\n" + ",\n".join(inner + fmt_json(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False)


def file_entry(path):
    """{"sha256", "bytes"} of one file, streamed (external data files are many GB)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return collections.OrderedDict([("sha256", h.hexdigest()), ("bytes", os.path.getsize(path))])


def build(bundle_dir, *, name, revision, description, chat_template, pad_token_id, bos_token_id,
          max_tokens=contract.DEFAULT_MAX_TOKENS, num_quantiles=contract.NUM_QUANTILES):
    """The manifest of a bundle directory; `files` lists every other file in it, so nothing goes unchecked."""
    if chat_template not in ("llama-3", "llama-3.1"):
        raise ValueError("chat_template must be llama-3 or llama-3.1, got %r" % chat_template)
    if not revision:
        raise ValueError("revision must not be empty")
    names = sorted(n for n in os.listdir(bundle_dir) if n != contract.MANIFEST_FILE)
    subdirs = [n for n in names if not os.path.isfile(os.path.join(bundle_dir, n))]
    if subdirs:
        raise ValueError("bundle directory %s holds directories %s; a bundle is flat" % (bundle_dir, subdirs))
    missing = [n for n in (contract.MODEL_FILE,) + contract.TOKENIZER_FILES if n not in names]
    if missing:
        raise ValueError("bundle directory %s lacks %s" % (bundle_dir, missing))
    return collections.OrderedDict([
        ("format", contract.FORMAT),
        ("name", name),
        ("revision", revision),
        ("description", description),
        ("chat_template", chat_template),
        ("quantile_levels", contract.quantile_levels(num_quantiles)),
        ("attributes", list(contract.ATTRIBUTES)),
        ("pad_token_id", int(pad_token_id)),
        ("bos_token_id", int(bos_token_id)),
        ("gating_pattern", list(contract.GATING_PATTERN)),
        ("max_tokens", int(max_tokens)),
        ("files", collections.OrderedDict((n, file_entry(os.path.join(bundle_dir, n))) for n in names)),
    ])


def write(bundle_dir, manifest):
    path = os.path.join(bundle_dir, contract.MANIFEST_FILE)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(fmt_json(manifest) + "\n")
    return path


def make_world_readable(bundle_dir):
    """a+r on every file (a+rx on the directory): onnx's external-data writer creates model.onnx.data with mode
    0600, and a bundle exported by one user is served by another (the container runs as uid 10001)."""
    os.chmod(bundle_dir, os.stat(bundle_dir).st_mode | 0o555)
    for name in os.listdir(bundle_dir):
        path = os.path.join(bundle_dir, name)
        os.chmod(path, os.stat(path).st_mode | 0o444)


def detect_revision(checkpoint_dir):
    """The checkpoint's commit, from an HF cache snapshot path, huggingface-cli --local-dir metadata, or git.

    Returns (revision, how) or (None, reasons) when none is found.
    """
    real = os.path.realpath(checkpoint_dir)
    parent = os.path.basename(os.path.dirname(real))
    if parent == "snapshots" and _COMMIT.match(os.path.basename(real)):
        return os.path.basename(real), "HF cache snapshot directory name"
    commits = set()
    # huggingface_hub's --local-dir downloads: .cache/huggingface/download/<file>.metadata, commit on line 1
    for meta in glob.glob(os.path.join(real, ".cache", "huggingface", "download", "**", "*.metadata"),
                          recursive=True):
        with open(meta, "r", encoding="utf-8") as f:
            first = f.readline().strip()
        if _COMMIT.match(first):
            commits.add(first)
    if len(commits) == 1:
        return commits.pop(), "huggingface-cli download metadata"
    if len(commits) > 1:
        return None, "the download metadata names several commits %s (files from different revisions?)" % sorted(
            commits)
    commit = _git_head(os.path.join(real, ".git"))
    if commit:
        return commit, "git HEAD"
    return None, "no HF cache snapshot path, no huggingface-cli download metadata, no git checkout"


def _git_head(git_dir):
    head_path = os.path.join(git_dir, "HEAD")
    if not os.path.isfile(head_path):
        return None
    with open(head_path, "r", encoding="utf-8") as f:
        head = f.read().strip()
    if _COMMIT.match(head):
        return head
    if not head.startswith("ref: "):
        return None
    ref = head[len("ref: "):]
    ref_path = os.path.join(git_dir, *ref.split("/"))
    if os.path.isfile(ref_path):
        with open(ref_path, "r", encoding="utf-8") as f:
            value = f.read().strip()
        return value if _COMMIT.match(value) else None
    packed = os.path.join(git_dir, "packed-refs")
    if os.path.isfile(packed):
        with open(packed, "r", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref and _COMMIT.match(parts[0]):
                    return parts[0]
    return None
