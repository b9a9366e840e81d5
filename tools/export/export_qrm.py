#!/usr/bin/env python3
"""Export a local Hugging Face checkpoint of QRM-Llama3.1-8B to a qrm-onnx/1 bundle, and prove parity.

    python tools/export/export_qrm.py --checkpoint ~/models/QRM-Llama3.1-8B --out bundles/qrm-llama3.1-8b
    python tools/export/export_qrm.py --tiny --out /tmp/tiny-bundle        # self-test, small random model

Steps (each fails with a message naming what is wrong; the manifest is written last, only after parity
holds, so a failed export is never a loadable bundle):
  1. chat template (exact text match), revision, tensor names (backbone under `model.`, heads at top level)
  2. head tensors printed with shapes and dtypes; heads rebuilt from regression_layer.weight, gating.* (ReLU
     before or after BatchNorm, from the module slots or config.json), reward_transform_matrix
  3. PyTorch reference on the parity rows (each alone, --reference-dtype, float32 by default), with the max
     |activation| per backbone layer; a float16 backbone is refused (exit 1) if any exceeds float16's range
  4. export: backbone in --backbone-dtype (float16), heads and outputs float32, weights in model.onnx.data
  5. ONNX Runtime on three right-padded batches at shapes other than the trace's (the conversations, one
     alone, 7 rows of 13-1,024 tokens), and on rows that share one prompt, scored as the scorer does for a
     GRPO group (the prompt run once, its keys and values the past of the responses; kv_cache.py); tables
     of max abs diffs; exit 1 if a tolerance is exceeded
  6. fusions (--optimize, the default): ONNX Runtime's transformer optimizer, kept only if the interface and
     parity still hold
  7. tokenizer files copied, reward-model.json written with the SHA-256 and size of every file, every file
     made world-readable

See tools/export/README.md for hardware needs and the measured parity and tolerances.
"""

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import types

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from qrm_export import (activations, checkpoint, contract, heads, manifest, onnx_export, optimize,  # noqa: E402
                        parity, templates)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="local HF checkpoint directory (config.json, safetensors, tokenizer)")
    src.add_argument("--tiny", action="store_true", help="self-test on a random small Llama with QRM's heads")
    ap.add_argument("--out", required=True, help="bundle directory to write (must be empty or absent)")
    ap.add_argument("--name", default=contract.DEFAULT_NAME, help="manifest name (default %(default)s)")
    ap.add_argument("--revision", help="manifest revision; default: the checkpoint's commit, if it can be found")
    ap.add_argument("--device", default="cuda:0" if torch.cuda.is_available() else "cpu",
                    help="where torch and ONNX Runtime run (default %(default)s)")
    ap.add_argument("--backbone-dtype", choices=["float16", "float32"], default="float16",
                    help="backbone dtype in the graph (default %(default)s; ONNX Runtime runs it on CPU and CUDA)")
    ap.add_argument("--reference-dtype", choices=sorted(DTYPES), default="float32",
                    help="dtype of the PyTorch reference (default %(default)s; 8B float32 needs ~32 GB)")
    ap.add_argument("--conversations", default=os.path.join(REPO, "docs", "examples", "conversations.jsonl"),
                    help="JSON Lines conversations for the parity check (default %(default)s)")
    ap.add_argument("--max-tokens", type=int, default=contract.DEFAULT_MAX_TOKENS,
                    help="manifest max_tokens (default %(default)s)")
    ap.add_argument("--optimize", action=argparse.BooleanOptionalAction, default=True,
                    help="fuse attention, RMSNorm and rotary embeddings with ONNX Runtime's transformer optimizer; "
                         "the fused graph is kept only when the interface and parity hold (default: on)")
    ap.add_argument("--reference-out", metavar="FILE",
                    help="also write the PyTorch reference outputs of the parity rows as JSON (the Java tests' "
                         "format: src/test/resources/reference/), with the tolerances applied")
    args = ap.parse_args(argv)
    if os.path.isdir(args.out) and os.listdir(args.out):
        ap.error("--out %s is not empty" % args.out)
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    scratch = tempfile.mkdtemp(prefix="qrm-tiny-checkpoint-") if args.tiny else None
    try:
        if args.tiny:
            from qrm_export import tiny
            args.checkpoint = tiny.make_checkpoint(scratch)
            args.revision = args.revision or "tiny-self-test"
            args.name = "tiny-qrm-export-self-test"
        return export(args)
    except (checkpoint.CheckpointError, templates.TemplateError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def export(args):
    from qrm_export import hf   # transformers: needed from here on

    src = _load(hf, args)
    reference, maxima = _reference(hf, src, args)
    print(activations.table(maxima))
    beyond = activations.beyond_float16(maxima)
    if beyond and args.backbone_dtype == "float16":
        print("refusing: activations of %s exceed float16's range (%g) in the reference pass, so a float16 graph "
              "would compute inf there; export with --backbone-dtype float32" % (", ".join(beyond),
                                                                                activations.FLOAT16_MAX),
              file=sys.stderr)
        return 1
    tolerances = parity.TOLERANCES[args.backbone_dtype]
    if args.reference_out:
        parity.write_reference(args.reference_out, src.named_rows, reference, tolerances,
                               "PyTorch %s on %s, each row alone; model %s (--backbone-dtype %s)"
                               % (args.reference_dtype, args.device, args.name, args.backbone_dtype))
    os.makedirs(args.out, exist_ok=True)
    graph = heads.RewardGraph(
        hf.build_backbone(src.config, src.tensors, src.names, DTYPES[args.backbone_dtype], args.device),
        heads.QRMHeads(src.spec).to(args.device))
    src.tensors = None
    onnx_export.export(graph, args.out, device=args.device)
    del graph
    _free()
    print("initializer elements by type: %s" % onnx_export.check(os.path.join(args.out, contract.MODEL_FILE)))

    parity_args = (parity.batches(src.rows), src.pad_id, reference, tolerances, float(src.spec.logit_scale),
                   args.device, src.shared_prompt)
    if not _parity_holds(os.path.join(args.out, contract.MODEL_FILE), *parity_args,
                         title="ONNX Runtime (%s) vs PyTorch (%s)" % (args.device, args.reference_dtype)):
        print("parity FAILED: no manifest written; %s is not a bundle" % args.out, file=sys.stderr)
        return 1
    if args.optimize:
        _try_optimize(hf, args, src, parity_args)

    for name in contract.TOKENIZER_FILES:
        shutil.copyfile(os.path.join(args.checkpoint, name), os.path.join(args.out, name))
    description = ("%s exported by tools/export/export_qrm.py: LlamaModel backbone in %s, QRM heads and outputs "
                   "in float32; parity vs PyTorch %s checked on %d rows at three batch shapes."
                   % (args.name, args.backbone_dtype, args.reference_dtype, len(src.named_rows)))
    m = manifest.build(args.out, name=args.name, revision=src.revision, description=description,
                       chat_template=src.template.name, pad_token_id=src.pad_id, bos_token_id=src.bos_id,
                       max_tokens=args.max_tokens)
    path = manifest.write(args.out, m)
    manifest.make_world_readable(args.out)
    print("wrote %s (%d files, %.1f GB, readable by every user)" % (
        path, len(m["files"]), sum(f["bytes"] for f in m["files"].values()) / 1e9))
    return 0


def _load(hf, args):
    """Everything read from the checkpoint, cheap checks first: template, revision, token ids, names, tensors."""
    ckpt = args.checkpoint
    src = types.SimpleNamespace()
    cfg_json = _read_json(os.path.join(ckpt, "config.json"))
    src.template = templates.detect(_read_json(os.path.join(ckpt, "tokenizer_config.json")))
    src.revision = _revision(args, ckpt)
    src.pad_id, src.bos_id = _token_ids(cfg_json)
    print("template %s%s, revision %s, pad %d, bos %d" % (
        src.template.name, " (ships with bos_token; rendered BOS-free)" if src.template.bos_in_template else "",
        src.revision, src.pad_id, src.bos_id))

    src.config = hf.load_config(ckpt)
    src.files = files = checkpoint.tensor_files(ckpt)
    src.names = checkpoint.map_names(files, hf.expected_backbone_names(src.config))
    print("tensors: %d backbone, %d head, ignored %s" % (len(src.names.backbone), len(src.names.heads),
                                                         src.names.ignored))
    src.tensors = checkpoint.load(ckpt, files, list(src.names.backbone) + src.names.heads)
    head_tensors = {n: src.tensors[n] for n in src.names.heads}
    print("head tensors:\n  " + "\n  ".join(heads.describe(head_tensors)))
    src.spec = heads.parse(head_tensors, cfg_json)
    for note in src.spec.notes:
        print("note: %s" % note)

    tokenizer = hf.load_tokenizer(ckpt)
    conversations = parity.load_conversations(args.conversations)
    src.rows = [hf.encode(tokenizer, messages, src.template.bos_free_text) for _, messages in conversations]
    print("parity conversations: %s" % ", ".join("%s (%d ids)" % (c[0], len(r))
                                                 for c, r in zip(conversations, src.rows)))
    src.shared_prompt = parity.shared_prompt_rows(src.rows)
    src.named_rows = [(c[0], r) for c, r in zip(conversations, src.rows)] + [
        ("long-%d" % len(r), r) for r in parity.long_rows(src.rows)] + [
        ("shared-prompt-%d" % i, r) for i, r in enumerate(src.shared_prompt)]
    return src


def _reference(hf, src, args):
    """PyTorch outputs of every parity row, each alone (batch of one, no padding): ({row: {name: [1, n]}},
    {backbone layer: max |activation|})."""
    model = heads.RewardGraph(
        hf.build_backbone(src.config, src.tensors, src.names, DTYPES[args.reference_dtype], args.device),
        heads.QRMHeads(src.spec).to(args.device))
    outputs = {}
    with torch.no_grad(), activations.ActivationRange(hf.activation_modules(model.backbone)) as observed:
        for _, row in src.named_rows:
            inputs = parity.feeds([row], src.pad_id)
            values = model(*(torch.from_numpy(v).to(args.device) for v in inputs.values()))
            outputs[tuple(row)] = {n: v.float().cpu().numpy() for n, v in zip(contract.OUTPUT_NAMES, values)}
    del model
    _free()
    return outputs, observed.maxima


def _parity_holds(model_path, batches, pad_id, reference, tolerances, logit_scale, device, shared_prompt, title):
    """Runs ONNX Runtime on each batch, and on rows sharing a prompt run once (parity.run_shared_prompt), prints a
    table per batch; True when every row is within tolerance."""
    actual = parity.run_onnx(model_path, [parity.feeds(rows, pad_id) for _, rows in batches], device,
                             shared_prompt=shared_prompt, pad_id=pad_id)
    if actual[-1] is None:
        print("%s: the graph has no past inputs, so no shared-prompt check" % title)
        actual = actual[:-1]
    else:
        batches = batches + [("%d rows sharing one prompt, the prompt run once and its keys and values the past of "
                              "the rest" % len(shared_prompt), shared_prompt)]
    ok = True
    for (batch_title, rows), got in zip(batches, actual):
        want = parity.stack([reference[tuple(r)] for r in rows])
        report = parity.compare(want, got, tolerances) + parity.identities(got, logit_scale)
        print(parity.table(report, "%s, %s:" % (title, batch_title)))
        ok = ok and all(r.ok for r in report)
    return ok


def _try_optimize(hf, args, src, parity_args):
    """The fused graph: attention exported as MultiHeadAttention, then ONNX Runtime's transformer optimizer (RMSNorm,
    rotary). It replaces the plain graph only if the interface check and parity hold; otherwise the plain one stays."""
    candidate_dir = tempfile.mkdtemp(prefix="qrm-optimized-", dir=os.path.dirname(os.path.abspath(args.out)))
    try:
        traced, fused_dir = os.path.join(candidate_dir, "traced"), os.path.join(candidate_dir, "fused")
        os.makedirs(fused_dir)
        tensors = checkpoint.load(args.checkpoint, src.files, list(src.names.backbone))   # freed after the plain export
        graph = heads.RewardGraph(
            hf.build_backbone(src.config, tensors, src.names, DTYPES[args.backbone_dtype], args.device,
                              fused_attention=True),
            heads.QRMHeads(src.spec).to(args.device))
        del tensors
        onnx_export.export(graph, traced, device=args.device)
        del graph
        _free()
        candidate = os.path.join(fused_dir, contract.MODEL_FILE)
        fused = optimize.optimize(os.path.join(traced, contract.MODEL_FILE), candidate,
                                  num_heads=src.config.num_attention_heads, hidden_size=src.config.hidden_size,
                                  float16=args.backbone_dtype == "float16", use_gpu=args.device.startswith("cuda"))
        print("--optimize: fused operators %s" % fused)
        onnx_export.check(candidate, standard_ops=False)
        if _parity_holds(candidate, *parity_args, title="fused graph (--optimize) vs PyTorch"):
            for name in (contract.MODEL_FILE, contract.DATA_FILE):
                shutil.move(os.path.join(fused_dir, name), os.path.join(args.out, name))
            print("--optimize: fused graph kept")
        else:
            print("--optimize: parity did not hold for the fused graph; the unfused graph is kept")
    except Exception as e:   # noqa: BLE001 - whatever breaks in the optional fused graph, the checked plain one stays
        print("--optimize: the fused graph failed (%s: %s); the unfused graph is kept" % (type(e).__name__, e))
    finally:
        shutil.rmtree(candidate_dir, ignore_errors=True)


def _revision(args, ckpt):
    if args.revision:
        return args.revision
    revision, how = manifest.detect_revision(ckpt)
    if revision is None:
        raise ValueError("cannot tell the checkpoint's revision (%s): pass --revision <commit or export id>" % how)
    print("revision %s from %s" % (revision, how))
    return revision


def _token_ids(cfg_json):
    pad_id, bos_id = cfg_json.get("pad_token_id"), cfg_json.get("bos_token_id")
    if not isinstance(pad_id, int) or not isinstance(bos_id, int):
        raise ValueError("config.json must give integer pad_token_id and bos_token_id (QRM: %d, %d), has %r, %r"
                         % (contract.PAD_ID, contract.BOS_ID, pad_id, bos_id))
    return pad_id, bos_id


def _read_json(path):
    if not os.path.isfile(path):
        raise ValueError("%s is missing" % path)
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def _free():
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


if __name__ == "__main__":
    sys.exit(main())
