// Runs an ONNX graph with ONNX Runtime (onnxruntime-node, tools/get-onnxruntime.sh) on rows of
// float32 inputs, as another program would: node run_onnxruntime.js MODEL.onnx IN.f32 OUT.f32.
// IN holds N rows of 784 floats; OUT receives the graph's `probabilities`, N rows of 10.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
    const [modelPath, inputPath, outputPath] = process.argv.slice(2);
    const bytes = fs.readFileSync(inputPath);
    const input = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const rows = input.length / 784;
    const session = await ort.InferenceSession.create(modelPath);
    const result = await session.run({ input: new ort.Tensor('float32', input, [rows, 784]) });
    const p = result.probabilities;
    if (!p || p.type !== 'float32' || p.dims.length !== 2 || p.dims[0] !== rows || p.dims[1] !== 10)
        throw new Error(`expected probabilities float32 [${rows}, 10], got ${p ? `${p.type} [${p.dims}]` : 'none'}`);
    fs.writeFileSync(outputPath, Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength));
    console.log(`ONNX Runtime ran ${rows} rows: inputs ${session.inputNames}, outputs ${session.outputNames}`);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
