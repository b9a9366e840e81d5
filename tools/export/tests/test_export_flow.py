"""export_qrm.py end to end, with stand-ins for what cannot run here.

transformers (qrm_export.hf) is replaced by a small causal backbone and a fake tokenizer, and ONNX Runtime
(parity.run_onnx) by the same PyTorch graph run on the padded batch. What runs for real: argument
handling, template detection, checkpoint reading and name mapping, head parsing, the ONNX export with
external data, the parity table and its verdict, tokenizer copying and the manifest.
"""

import contextlib
import io
import json
import os
import shutil
import sys
import types
import unittest
from unittest import mock

import torch

import support
from fake_backbone import CausalMeanBackbone
from qrm_export import checkpoint, contract, heads, parity, synthetic

import export_qrm

HIDDEN = 16
TINY = os.path.join(support.REPO, "models", "tiny-qrm")


def fake_hf():
    def build_backbone(config, tensors, name_map, dtype, device):
        backbone = CausalMeanBackbone(HIDDEN)
        backbone.load_state_dict({bare: tensors[name].to(dtype) for name, bare in name_map.backbone.items()})
        return backbone.to(dtype).eval()

    def encode(tokenizer, messages, template):
        assert template == open(os.path.join(support.REPO, "tools", "golden", "templates", "llama-3.1.jinja"),
                                encoding="utf-8", newline="").read()
        ids = [contract.BOS_ID]
        for m in messages[:-1]:
            ids += [128006, 882, 128007, 271] + [len(w) for w in m["content"].split()] + [128009]
        return ids + list(contract.GATING_PATTERN[1:]) + [len(w) for w in messages[-1]["content"].split()] + [128009]

    return types.SimpleNamespace(
        activation_modules=lambda backbone: {"embed": backbone.embed, "proj": backbone.proj},
        load_config=lambda ckpt: types.SimpleNamespace(num_attention_heads=4, hidden_size=HIDDEN),
        expected_backbone_names=lambda config: ["embed.weight", "proj.weight"],
        build_backbone=build_backbone, load_tokenizer=lambda ckpt: None, encode=encode)


def write_checkpoint(directory):
    tensors = {"model." + k: v for k, v in CausalMeanBackbone(HIDDEN).state_dict().items()}
    tensors.update(synthetic.head_tensors(HIDDEN, gating_hidden=8))
    synthetic.save_sharded(tensors, directory, shards=2)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump({"pad_token_id": contract.PAD_ID, "bos_token_id": contract.BOS_ID, "gating_temperature": 5.0,
                   "gating_hidden_dim": 8, "gating_n_hidden": 3}, f)
    for name in contract.TOKENIZER_FILES:
        shutil.copyfile(os.path.join(TINY, name), os.path.join(directory, name))


def torch_as_onnx_runtime(checkpoint_dir, shift=0.0):
    """A run_onnx stand-in: the checkpoint's graph in PyTorch, on the inputs ONNX Runtime would get."""
    def run(model_path, batches, device, shared_prompt=None, pad_id=contract.PAD_ID):
        assert os.path.isfile(model_path) and os.path.isfile(os.path.join(os.path.dirname(model_path),
                                                                          contract.DATA_FILE))
        # the stand-in backbone has no keys and values: no shared-prompt outputs, as for such a graph
        return [run_one(inputs) for inputs in batches] + ([None] if shared_prompt is not None else [])

    def run_one(inputs):
        files = checkpoint.tensor_files(checkpoint_dir)
        tensors = checkpoint.load(checkpoint_dir, files, list(files))
        names = checkpoint.map_names(files, ["embed.weight", "proj.weight"])
        graph = heads.RewardGraph(fake_hf().build_backbone(None, tensors, names, torch.float32, "cpu"),
                                  heads.QRMHeads(heads.parse({n: tensors[n] for n in names.heads}, {})))
        with torch.no_grad():
            values = graph(*(torch.from_numpy(v) for v in inputs.values()))
        out = {n: v.numpy() for n, v in zip(contract.OUTPUT_NAMES, values)}
        out["score"] = out["score"] + shift
        return out
    return run


class ExportFlowTest(unittest.TestCase):
    def setUp(self):
        root = support.temp_dir(self)
        self.ckpt = os.path.join(root, "checkpoint")
        self.out = os.path.join(root, "bundle")
        os.makedirs(self.ckpt)
        write_checkpoint(self.ckpt)

    def export(self, shift=0.0, *extra):
        argv = ["--checkpoint", self.ckpt, "--out", self.out, "--device", "cpu", "--backbone-dtype", "float32",
                "--revision", "test-rev", "--no-optimize"] + list(extra)
        printed = io.StringIO()
        with mock.patch.dict(sys.modules, {"qrm_export.hf": fake_hf()}), \
                mock.patch.object(parity, "run_onnx", torch_as_onnx_runtime(self.ckpt, shift)), \
                contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            code = export_qrm.main(argv)
        return code, printed.getvalue()

    def test_should_write_a_bundle_whose_manifest_lists_every_file_when_parity_holds(self):
        code, printed = self.export()

        self.assertEqual(code, 0, printed)
        with open(os.path.join(self.out, contract.MANIFEST_FILE), encoding="utf-8") as f:
            m = json.load(f)
        self.assertEqual(sorted(m["files"]), sorted([contract.MODEL_FILE, contract.DATA_FILE]
                                                    + list(contract.TOKENIZER_FILES)))
        self.assertEqual((m["revision"], m["chat_template"], m["name"]), ("test-rev", "llama-3.1", "QRM-Llama3.1-8B"))
        self.assertIn("parity conversations: pizza-1", printed)
        self.assertNotIn("EXCEEDED", printed)

    def test_should_default_to_a_fused_float16_export_on_a_cpu_only_machine(self):
        args = export_qrm.parse_args(["--checkpoint", self.ckpt, "--out", self.out, "--device", "cpu"])

        self.assertEqual((args.backbone_dtype, args.device, args.optimize), ("float16", "cpu", True))
        self.assertFalse(export_qrm.parse_args(["--tiny", "--out", self.out, "--no-optimize"]).optimize)

    def test_should_check_parity_at_batch_shapes_other_than_the_trace(self):
        code, printed = self.export()

        self.assertEqual(code, 0, printed)
        for title in ("3 conversations in one right-padded batch:", "1 conversation alone:",
                      "7 rows of 13-1024 tokens, right-padded:"):
            self.assertIn(title, printed)

    def test_should_leave_every_bundle_file_readable_by_other_users(self):
        code, printed = self.export()

        self.assertEqual(code, 0, printed)
        for name in os.listdir(self.out):
            mode = os.stat(os.path.join(self.out, name)).st_mode
            self.assertEqual(mode & 0o444, 0o444, "%s has mode %o" % (name, mode & 0o777))

    def test_should_print_the_head_tensors_and_the_max_activation_of_each_layer(self):
        code, printed = self.export()

        self.assertEqual(code, 0, printed)
        self.assertRegex(printed, r"gating\.layers\.9\.bias\s+\[19\]\s+float32")
        self.assertRegex(printed, r"max \|activation\| per backbone layer.*\n  embed\s+\S+  ok\n  proj\s+\S+  ok")

    def test_should_refuse_a_float16_backbone_whose_activations_exceed_float16(self):
        files = checkpoint.tensor_files(self.ckpt)
        tensors = checkpoint.load(self.ckpt, files, list(files))
        tensors["model.embed.weight"] = tensors["model.embed.weight"] * 1e5
        synthetic.save_sharded(tensors, self.ckpt, shards=2)

        code, printed = self.export(0.0, "--backbone-dtype", "float16")

        self.assertEqual(code, 1, printed)
        self.assertRegex(printed, r"embed\s+\S+  BEYOND FLOAT16")
        self.assertIn("refusing: activations of embed, proj exceed float16's range", printed)
        self.assertFalse(os.path.exists(os.path.join(self.out, contract.MANIFEST_FILE)))

    def test_should_write_the_reference_outputs_with_the_tolerances_for_the_java_tests(self):
        path = os.path.join(os.path.dirname(self.out), "reference.json")

        code, printed = self.export(0.0, "--reference-out", path)

        self.assertEqual(code, 0, printed)
        with open(path, encoding="utf-8") as f:
            written = json.load(f)
        self.assertEqual(written["tolerances"], parity.TOLERANCES["float32"])
        self.assertEqual([c["name"] for c in written["cases"]][:3], ["pizza-1", "pizza-2", "multi-turn"])
        long_rows = written["cases"][3:3 + len(parity.LONG_ROW_LENGTHS)]
        self.assertEqual([len(c["input_ids"]) for c in long_rows], list(parity.LONG_ROW_LENGTHS))
        group = written["cases"][3 + len(parity.LONG_ROW_LENGTHS):]
        prompt = written["cases"][0]["input_ids"][:written["cases"][0]["gating_token_index"]]
        self.assertEqual([c["name"] for c in group], ["shared-prompt-0", "shared-prompt-1", "shared-prompt-2"])
        self.assertTrue(all(c["input_ids"][:len(prompt)] == prompt for c in group))
        case = written["cases"][0]
        self.assertEqual((len(case["reward_quantiles"]), case["last_token_index"]), (19, len(case["input_ids"]) - 1))
        self.assertAlmostEqual(case["score"], sum(case["reward_quantiles"]) / 19, places=5)

    def test_should_exit_1_and_write_no_manifest_when_parity_fails(self):
        code, printed = self.export(shift=1.0)

        self.assertEqual(code, 1, printed)
        self.assertIn("EXCEEDED", printed)
        self.assertFalse(os.path.exists(os.path.join(self.out, contract.MANIFEST_FILE)))

    def test_should_exit_2_naming_the_problem_for_an_unknown_template(self):
        with open(os.path.join(self.ckpt, "tokenizer_config.json"), "w") as f:
            json.dump({"chat_template": "{{ messages }}"}, f)

        code, printed = self.export()

        self.assertEqual(code, 2)
        self.assertIn("none of the templates the scorer implements", printed)


if __name__ == "__main__":
    unittest.main()
