import collections
import json
import os
import unittest

import torch

import support
from qrm_export import checkpoint, synthetic

BACKBONE = ["embed_tokens.weight", "layers.0.self_attn.q_proj.weight", "layers.0.mlp.down_proj.weight",
            "norm.weight"]


def qrm_names():
    return (["model." + n for n in BACKBONE]
            + ["regression_layer.weight", "reward_transform_matrix", "gating.layers.0.weight",
               "gating.layers.2.running_mean", "gating.layers.2.num_batches_tracked", "gating.logit_scale"])


class NameMappingTest(unittest.TestCase):
    def test_should_strip_the_model_prefix_and_keep_heads_at_top_level(self):
        names = qrm_names() + ["lm_head.weight", "model.layers.0.self_attn.rotary_emb.inv_freq"]

        mapped = checkpoint.map_names(names, BACKBONE)

        self.assertEqual(mapped.backbone, {"model." + n: n for n in BACKBONE})
        self.assertIn("gating.layers.2.running_mean", mapped.heads)
        self.assertIn("reward_transform_matrix", mapped.heads)
        self.assertEqual(sorted(mapped.ignored), ["lm_head.weight", "model.layers.0.self_attn.rotary_emb.inv_freq"])

    def test_should_accept_backbone_names_without_prefix(self):
        names = BACKBONE + ["regression_layer.weight", "gating.layers.0.weight"]

        self.assertEqual(len(checkpoint.map_names(names, BACKBONE).backbone), len(BACKBONE))

    def test_should_name_unknown_tensors(self):
        names = qrm_names() + ["score.weight", "model.layers.0.self_attn.q_norm.weight"]

        with self.assertRaises(checkpoint.CheckpointError) as caught:
            checkpoint.map_names(names, BACKBONE)

        self.assertIn("unknown tensors", str(caught.exception))
        self.assertIn("score.weight", str(caught.exception))
        self.assertIn("model.layers.0.self_attn.q_norm.weight", str(caught.exception))

    def test_should_name_missing_backbone_and_head_tensors(self):
        names = [n for n in qrm_names() if n not in ("model.norm.weight", "regression_layer.weight")]

        with self.assertRaises(checkpoint.CheckpointError) as caught:
            checkpoint.map_names(names, BACKBONE)

        self.assertIn("missing backbone tensors", str(caught.exception))
        self.assertIn("norm.weight", str(caught.exception))
        self.assertIn("missing head tensor 'regression_layer.weight'", str(caught.exception))

    def test_should_refuse_a_checkpoint_without_gating_network(self):
        names = [n for n in qrm_names() if not n.startswith("gating.")]

        with self.assertRaisesRegex(checkpoint.CheckpointError, "missing gating network"):
            checkpoint.map_names(names, BACKBONE)

    def test_should_refuse_a_backbone_tensor_stored_twice(self):
        names = qrm_names() + ["norm.weight"]

        with self.assertRaisesRegex(checkpoint.CheckpointError, "stored twice"):
            checkpoint.map_names(names, BACKBONE)


class SafetensorsTest(unittest.TestCase):
    def setUp(self):
        self.dir = support.temp_dir(self)
        self.tensors = collections.OrderedDict([
            ("model.norm.weight", torch.randn(8).to(torch.bfloat16)),
            ("model.embed_tokens.weight", torch.randn(5, 8).to(torch.float16)),
            ("regression_layer.weight", torch.randn(6, 8)),
            ("gating.layers.2.num_batches_tracked", torch.tensor(3, dtype=torch.int64)),
            ("empty", torch.zeros(0, 4)),
        ])

    def test_should_read_back_every_tensor_from_an_index_and_shards(self):
        synthetic.save_sharded(self.tensors, self.dir, shards=2)

        files = checkpoint.tensor_files(self.dir)
        loaded = checkpoint.load(self.dir, files, list(self.tensors))

        self.assertEqual(set(files.values()), {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"})
        for name, tensor in self.tensors.items():
            self.assertEqual(loaded[name].dtype, tensor.dtype, name)
            self.assertTrue(torch.equal(loaded[name], tensor), name)

    def test_should_read_a_single_unsharded_file(self):
        synthetic.save_safetensors(self.tensors, os.path.join(self.dir, "model.safetensors"))

        self.assertEqual(set(checkpoint.tensor_files(self.dir)), set(self.tensors))

    def test_should_name_shards_the_index_lists_but_the_directory_lacks(self):
        synthetic.save_sharded(self.tensors, self.dir, shards=2)
        os.remove(os.path.join(self.dir, "model-00002-of-00002.safetensors"))

        with self.assertRaisesRegex(checkpoint.CheckpointError, "model-00002-of-00002.safetensors"):
            checkpoint.tensor_files(self.dir)

    def test_should_name_a_tensor_the_index_misplaces(self):
        synthetic.save_sharded(self.tensors, self.dir, shards=2)
        files = checkpoint.tensor_files(self.dir)
        files["model.norm.weight"] = "model-00002-of-00002.safetensors"

        with self.assertRaisesRegex(checkpoint.CheckpointError, "does not hold it"):
            checkpoint.load(self.dir, files, ["model.norm.weight"])

    def test_should_ask_for_safetensors_when_only_pickles_exist(self):
        support.write(os.path.join(self.dir, "pytorch_model.bin"), b"x")

        with self.assertRaisesRegex(checkpoint.CheckpointError, "convert the checkpoint to safetensors"):
            checkpoint.tensor_files(self.dir)

    def test_should_refuse_a_file_that_is_not_safetensors(self):
        support.write(os.path.join(self.dir, "model.safetensors"), b"\xff" * 64)

        with self.assertRaisesRegex(checkpoint.CheckpointError, "not a safetensors file"):
            checkpoint.tensor_files(self.dir)

    def test_should_write_headers_padded_to_eight_bytes(self):
        path = os.path.join(self.dir, "model.safetensors")
        synthetic.save_safetensors(self.tensors, path, metadata={"format": "pt"})

        header, data_start = checkpoint.read_header(path)

        self.assertEqual(data_start % 8, 0)
        self.assertEqual(header["model.norm.weight"], {"dtype": "BF16", "shape": [8], "data_offsets": [0, 16]})
        with open(path, "rb") as f:
            f.seek(8)
            self.assertEqual(json.loads(f.read(data_start - 8))["__metadata__"], {"format": "pt"})


if __name__ == "__main__":
    unittest.main()
