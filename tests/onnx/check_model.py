# ONNX's own checker on a file (python3-onnx): python3 check_model.py MODEL.onnx
import sys

import onnx

model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print("onnx.checker: ok, opset", model.opset_import[0].version, "IR", model.ir_version)
