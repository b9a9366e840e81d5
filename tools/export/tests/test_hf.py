"""The transformers side with the real LlamaModel (the --tiny checkpoint): names, weights, padding, activations.

Skipped where transformers is not installed; .ci/run installs it (tools/export/requirements.txt).
"""

import importlib.util
import unittest

import numpy as np
import torch

import support
from qrm_export import activations, checkpoint, contract, heads, onnx_export, parity

HAS_TRANSFORMERS = importlib.util.find_spec("transformers") is not None


@unittest.skipUnless(HAS_TRANSFORMERS, "transformers is not installed (pip install -r tools/export/requirements.txt)")
class LlamaBackboneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from qrm_export import hf, tiny

        cls.hf = hf
        ckpt = tiny.make_checkpoint(support.temp_dir(cls))
        cls.config = hf.load_config(ckpt)
        files = checkpoint.tensor_files(ckpt)
        cls.names = checkpoint.map_names(files, hf.expected_backbone_names(cls.config))
        cls.tensors = checkpoint.load(ckpt, files, list(files))
        cls.spec = heads.parse({n: cls.tensors[n] for n in cls.names.heads}, {})
        cls.rows = parity.long_rows([[128000, 9906, 1917, 128009, 128006, 78191, 128007, 271, 13347]],
                                    lengths=(13, 40, 29))

    def graph(self, dtype=torch.float32, fused_attention=False):
        backbone = self.hf.build_backbone(self.config, self.tensors, self.names, dtype, "cpu",
                                          fused_attention=fused_attention)
        return heads.RewardGraph(backbone, heads.QRMHeads(self.spec))

    def run_graph(self, graph, rows):
        with torch.no_grad():
            outputs = graph(*(torch.from_numpy(v) for v in parity.feeds(rows, 128256).values()))
            return [v.numpy() for v in outputs[:len(contract.OUTPUT_NAMES)]]

    def test_should_sort_every_tensor_of_the_tiny_checkpoint_with_bfloat16_backbone_and_float32_heads(self):
        self.assertEqual(len(self.names.backbone), 2 * 9 + 2)   # 9 tensors per layer, embeddings, final norm
        self.assertEqual({self.tensors[n].dtype for n in self.names.backbone}, {torch.bfloat16})
        self.assertEqual(self.tensors["regression_layer.weight"].dtype, torch.float32)

    def test_should_give_each_row_the_same_outputs_alone_and_right_padded_in_a_batch(self):
        graph = self.graph()

        together = self.run_graph(graph, self.rows)
        alone = [self.run_graph(graph, [r]) for r in self.rows]

        for i, out in enumerate(together):
            np.testing.assert_allclose(out, np.concatenate([a[i] for a in alone]), atol=1e-5)

    def test_should_compute_eager_attention_with_the_fused_attention_op_in_pytorch(self):
        eager, fused = self.run_graph(self.graph(), self.rows), self.run_graph(self.graph(fused_attention=True), self.rows)

        for a, b in zip(eager, fused):
            np.testing.assert_allclose(a, b, atol=1e-5)

    def test_should_export_one_multihead_attention_node_per_layer_with_eager_mask_as_bias(self):
        import onnx

        path = onnx_export.export(self.graph(fused_attention=True), support.temp_dir(self))

        nodes = onnx.load(path, load_external_data=False).graph.node
        attention = [n for n in nodes if n.op_type == "MultiHeadAttention"]
        self.assertEqual(len(attention), self.config.num_hidden_layers)
        self.assertEqual(({n.domain for n in attention}, [n.input[3:5] for n in attention][0]), ({"com.microsoft"},
                                                                                               ["", ""]))
        self.assertNotIn("Softmax", {n.op_type for n in nodes if "self_attn" in n.name})

    def test_should_give_rows_sharing_a_prompt_the_same_outputs_when_the_prompt_runs_once_as_their_past(self):
        for fused in (False, True):
            graph = self.graph(fused_attention=fused)
            group = parity.shared_prompt_rows(self.rows)
            p = parity.gating_index(group[0])

            full = self.run_graph(graph, group)
            with torch.no_grad():
                prompt = parity.feeds([group[0][:p]], 128256)
                presents = graph(*(torch.from_numpy(v) for v in prompt.values()))[4:]
                rest = parity.feeds([r[p:] for r in group], 128256, past_length=p)
                past = [t.expand(len(group), -1, -1, -1) for t in presents]
                shared = graph(*(torch.from_numpy(v) for v in rest.values()), *past)

            self.assertEqual(len(presents), 2 * self.config.num_hidden_layers)
            self.assertEqual(tuple(presents[0].shape[2:]), (p, self.config.head_dim))
            for want, got in zip(full[:4], shared[:4]):
                np.testing.assert_allclose(got.numpy(), want, atol=1e-5)

    def test_should_record_the_max_activation_of_every_layer(self):
        graph = self.graph()

        with activations.ActivationRange(self.hf.activation_modules(graph.backbone)) as observed:
            self.run_graph(graph, self.rows)

        self.assertEqual(list(observed.maxima), ["embed_tokens", "layers.0", "layers.1", "norm"])
        self.assertTrue(all(0 < v < activations.FLOAT16_MAX for v in observed.maxima.values()), observed.maxima)
        self.assertEqual(activations.beyond_float16(dict(observed.maxima, norm=float("inf"))), ["norm"])


if __name__ == "__main__":
    unittest.main()
