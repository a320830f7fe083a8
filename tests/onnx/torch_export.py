# A graph PyTorch made, for DigitPad's import: python3 torch_export.py OUT.onnx IN.f32 OUT.f32
# Builds nn.Sequential(Linear, ReLU, Linear, ReLU, Linear, Softmax) with seeded random weights,
# exports it with torch.onnx.export, and writes PyTorch's own probabilities on the N rows of
# 784 float32 inputs in IN, for the test to compare with DigitPad's predict on the import.
import sys

import numpy as np
import torch

onnx_path, input_path, output_path = sys.argv[1:4]
torch.manual_seed(7)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 64), torch.nn.ReLU(),
    torch.nn.Linear(64, 32), torch.nn.ReLU(),
    torch.nn.Linear(32, 10), torch.nn.Softmax(dim=1),
).eval()
inputs = torch.from_numpy(np.fromfile(input_path, dtype=np.float32).reshape(-1, 784))
with torch.no_grad():
    model(inputs).numpy().astype(np.float32).tofile(output_path)
torch.onnx.export(model, inputs[:1], onnx_path, input_names=["input"], output_names=["probabilities"],
                  dynamic_axes={"input": {0: "N"}, "probabilities": {0: "N"}}, opset_version=13)
print("torch", torch.__version__, "exported", onnx_path)
