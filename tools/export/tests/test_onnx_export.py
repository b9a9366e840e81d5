import os
import unittest

import onnx

import support
from fake_backbone import CausalMeanBackbone
from qrm_export import contract, heads, manifest, onnx_export, synthetic

HIDDEN = 16


class OnnxExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(support.temp_dir(cls), "bundle")
        spec = heads.parse(synthetic.head_tensors(HIDDEN, gating_hidden=8), {})
        cls.graph = heads.RewardGraph(CausalMeanBackbone(HIDDEN), heads.QRMHeads(spec)).eval()
        cls.path = onnx_export.export(cls.graph, cls.dir, size_threshold=256)

    def test_should_match_the_contract_interface(self):
        sizes = onnx_export.check(self.path)

        self.assertIn("FLOAT", sizes)   # the float32 heads
        model = onnx.load(self.path, load_external_data=False)
        outputs = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]
                   for o in model.graph.output}
        self.assertEqual(outputs, {"score": ["batch", 1], "reward_quantiles": ["batch", 19],
                                   "rewards": ["batch", 19], "gating_output": ["batch", 19]})

    def test_should_put_weights_in_one_external_data_file_and_leave_no_scratch_behind(self):
        model = onnx.load(self.path, load_external_data=False)
        external = [i for i in model.graph.initializer if i.data_location == onnx.TensorProto.EXTERNAL]
        locations = {e.value for i in external for e in i.external_data if e.key == "location"}

        self.assertTrue(external)
        self.assertEqual(locations, {contract.DATA_FILE})
        self.assertEqual(sorted(os.listdir(self.dir)), [contract.MODEL_FILE, contract.DATA_FILE])

    def test_should_list_the_external_data_file_in_the_manifest(self):
        for name in contract.TOKENIZER_FILES:
            support.write(os.path.join(self.dir, name), "{}")
        self.addCleanup(lambda: [os.remove(os.path.join(self.dir, n)) for n in contract.TOKENIZER_FILES])

        m = manifest.build(self.dir, name="t", revision="r", description="d", chat_template="llama-3",
                           pad_token_id=contract.PAD_ID, bos_token_id=contract.BOS_ID)

        data_bytes = os.path.getsize(os.path.join(self.dir, contract.DATA_FILE))
        self.assertEqual(m["files"][contract.DATA_FILE]["bytes"], data_bytes)

    def test_should_refuse_a_graph_with_the_wrong_interface(self):
        wrong = os.path.join(support.REPO, "src", "test", "resources", "onnx", "wrong-contract.onnx")

        with self.assertRaisesRegex(ValueError, "does not match the qrm-onnx/1 contract"):
            onnx_export.check(wrong)

    def test_should_trace_example_inputs_that_end_with_the_gating_pattern(self):
        ids, mask, last, gate = onnx_export.example_inputs(3, 11, "cpu")

        self.assertEqual(tuple(ids.shape), (3, 11))
        self.assertEqual(ids[0, int(gate[0]):int(gate[0]) + 5].tolist(), list(contract.GATING_PATTERN))
        self.assertEqual(int(last[0]), 10)


if __name__ == "__main__":
    unittest.main()
