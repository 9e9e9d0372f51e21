"""Keras-layout fixtures and checks for @cnnlab/models' Keras readers and writers, with h5py and
numpy only: an independent writer (the files Keras 2 and Keras 3 write, laid out as their saving
code does) and an independent reader (a numpy forward pass from a file's config and weights).

  python3 keras_reference.py fixtures DIR      write every fixture and expected.json into DIR
  python3 keras_reference.py read FILE INPUT   print {"output": …, "checks": …} for a cnnlab export
"""

import io
import json
import re
import sys
import zipfile

import h5py
import numpy as np

# ---------------------------------------------------------------------------------------------
# numpy forward pass
# ---------------------------------------------------------------------------------------------


def activation(name, x):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError("activation " + str(name))


def pad_same(x, kh, kw, sh, sw):
    h, w = x.shape[1], x.shape[2]
    oh, ow = -(-h // sh), -(-w // sw)
    ph = max((oh - 1) * sh + kh - h, 0)
    pw = max((ow - 1) * sw + kw - w, 0)
    return np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))


def conv2d(x, kernel, bias, strides, padding):
    kh, kw = kernel.shape[0], kernel.shape[1]
    sh, sw = strides
    if padding == "same":
        x = pad_same(x, kh, kw, sh, sw)
    n, h, w, c = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.zeros((n, oh, ow, kernel.shape[3]), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i : i + sh * oh : sh, j : j + sw * ow : sw, :]
            out += np.tensordot(patch, kernel[i, j], axes=([3], [0]))
    return out + (bias if bias is not None else 0)


def pool(x, size, strides, padding, kind):
    ph, pw = size
    sh, sw = strides
    if padding == "same":
        fill = -np.inf if kind == "max" else np.nan
        h, w = x.shape[1], x.shape[2]
        oh, ow = -(-h // sh), -(-w // sw)
        th = max((oh - 1) * sh + ph - h, 0)
        tw = max((ow - 1) * sw + pw - w, 0)
        x = np.pad(
            x,
            ((0, 0), (th // 2, th - th // 2), (tw // 2, tw - tw // 2), (0, 0)),
            constant_values=fill,
        )
    n, h, w, c = x.shape
    oh, ow = (h - ph) // sh + 1, (w - pw) // sw + 1
    windows = np.stack(
        [x[:, i : i + sh * oh : sh, j : j + sw * ow : sw, :] for i in range(ph) for j in range(pw)]
    )
    return windows.max(axis=0) if kind == "max" else np.nanmean(windows, axis=0)


def pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


def layer_forward(class_name, config, weights, x):
    if class_name in ("InputLayer", "Dropout"):
        return x
    if class_name == "Conv2D":
        bias = weights[1] if config.get("use_bias", True) else None
        y = conv2d(x, weights[0], bias, pair(config.get("strides", 1)), config.get("padding", "valid"))
        return activation(config.get("activation"), y)
    if class_name in ("MaxPooling2D", "AveragePooling2D"):
        size = pair(config.get("pool_size", 2))
        strides = pair(config.get("strides") or size)
        kind = "max" if class_name == "MaxPooling2D" else "avg"
        return pool(x, size, strides, config.get("padding", "valid"), kind)
    if class_name == "GlobalAveragePooling2D":
        return x.mean(axis=(1, 2))
    if class_name == "GlobalMaxPooling2D":
        return x.max(axis=(1, 2))
    if class_name == "Flatten":
        return x.reshape(x.shape[0], -1)
    if class_name == "Dense":
        y = x @ weights[0]
        if config.get("use_bias", True):
            y = y + weights[1]
        return activation(config.get("activation"), y)
    if class_name == "Activation":
        return activation(config.get("activation"), x)
    raise ValueError("layer " + class_name)


def forward(layers, weights_of, x):
    """A chain of layers (Sequential, or a Functional model that is a chain)."""
    for entry in layers:
        x = layer_forward(entry["class_name"], entry["config"], weights_of(entry), x)
    return x


# ---------------------------------------------------------------------------------------------
# Writers, laid out as Keras's saving code does
# ---------------------------------------------------------------------------------------------

GLOROT = {"class_name": "GlorotUniform", "config": {"seed": None}}
ZEROS = {"class_name": "Zeros", "config": {}}


def keras2_conv(name, filters, kernel, activation_name, padding="valid", strides=(1, 1)):
    return {
        "class_name": "Conv2D",
        "config": {
            "name": name, "trainable": True, "dtype": "float32", "filters": filters,
            "kernel_size": list(kernel), "strides": list(strides), "padding": padding,
            "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
            "activation": activation_name, "use_bias": True, "kernel_initializer": GLOROT,
            "bias_initializer": ZEROS, "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
        },
    }


def keras2_dense(name, units, activation_name):
    return {
        "class_name": "Dense",
        "config": {
            "name": name, "trainable": True, "dtype": "float32", "units": units,
            "activation": activation_name, "use_bias": True, "kernel_initializer": GLOROT,
            "bias_initializer": ZEROS, "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
        },
    }


def keras2_simple(name, class_name, **config):
    return {"class_name": class_name, "config": {"name": name, "trainable": True, "dtype": "float32", **config}}


def small_cnn(rng):
    """A Sequential CNN as tf.keras 2.15 configures it, and its weights by layer name."""
    layers = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 8, 8, 1], "dtype": "float32", "sparse": False, "ragged": False, "name": "conv2d_input"}},
        keras2_conv("conv2d", 4, (3, 3), "relu"),
        keras2_simple("max_pooling2d", "MaxPooling2D", pool_size=[2, 2], padding="valid", strides=[2, 2], data_format="channels_last"),
        keras2_conv("conv2d_1", 3, (2, 2), "relu", padding="same"),
        keras2_simple("flatten", "Flatten", data_format="channels_last"),
        keras2_simple("dropout", "Dropout", rate=0.5, noise_shape=None, seed=None),
        keras2_dense("dense", 5, "softmax"),
    ]
    weights = {
        "conv2d": [rng.standard_normal((3, 3, 1, 4)).astype(np.float32), rng.standard_normal(4).astype(np.float32)],
        "conv2d_1": [rng.standard_normal((2, 2, 4, 3)).astype(np.float32) * 0.5, rng.standard_normal(3).astype(np.float32)],
        "dense": [rng.standard_normal((27, 5)).astype(np.float32) * 0.3, rng.standard_normal(5).astype(np.float32)],
    }
    return layers, weights


def write_keras2_weights_group(g, layer_names, weights, weight_names=None):
    """save_weights_to_hdf5_group: byte-string attributes, groups created in name order."""
    g.attrs["layer_names"] = np.array([n.encode("utf8") for n in layer_names])
    g.attrs["backend"] = b"tensorflow"
    g.attrs["keras_version"] = b"2.15.0"
    for name in sorted(layer_names):
        lg = g.create_group(name)
        values = weights.get(name, [])
        names = weight_names(name, len(values)) if weight_names else [f"{name}/{w}:0" for w in ("kernel", "bias")[: len(values)]]
        lg.attrs["weight_names"] = np.array([n.encode("utf8") for n in names])
        for n, v in zip(names, values):
            lg.create_dataset(n, data=v)


def keras2_full_model(path, layers, weights):
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.15.0"
        config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        names = [l["config"]["name"] for l in layers if l["class_name"] != "InputLayer"]
        write_keras2_weights_group(f.create_group("model_weights"), names, weights)


def keras3_object(module, class_name, config):
    return {"module": module, "class_name": class_name, "config": config, "registered_name": None}


def keras3_layer(entry):
    """A Keras 2 layer entry as Keras 3.6 serializes it: modules, dtype policies, batch_shape."""
    config = dict(entry["config"])
    class_name = entry["class_name"]
    if class_name == "InputLayer":
        config = {"batch_shape": config["batch_input_shape"], "dtype": "float32", "sparse": False, "name": config["name"]}
    else:
        config["dtype"] = keras3_object("keras", "DTypePolicy", {"name": "float32"})
        for key in ("kernel_initializer", "bias_initializer"):
            if key in config:
                config[key] = keras3_object("keras.initializers", config[key]["class_name"], config[key]["config"])
    return keras3_object("keras.layers", class_name, config)


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def keras3_paths(class_names):
    used, out = {}, []
    for c in class_names:
        n = to_snake_case(c)
        if n in used:
            used[n] += 1
            n = f"{n}_{used[n]}"
        else:
            used[n] = 0
        out.append(n)
    return out


def keras3_weights_h5(layers, weights):
    """H5IOStore: vars for the model, layers/<class path>/vars/<i> for each layer."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("vars")
        body = [l for l in layers if l["class_name"] != "InputLayer"]
        for entry, path in zip(body, keras3_paths([l["class_name"] for l in body])):
            vars_group = f.create_group(f"layers/{path}").create_group("vars")
            for i, v in enumerate(weights.get(entry["config"]["name"], [])):
                vars_group[str(i)] = v
    return buffer.getvalue()


def keras3_archive(path, config, weights_bytes):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "2026-12-02@05:00:00"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", weights_bytes)


def keras3_sequential(layers):
    return {
        "module": "keras", "class_name": "Sequential", "registered_name": None,
        "config": {"name": "sequential", "trainable": True, "dtype": keras3_object("keras", "DTypePolicy", {"name": "float32"}),
                   "layers": [keras3_layer(l) for l in layers], "build_input_shape": [None, 8, 8, 1]},
        "build_config": {"input_shape": [None, 8, 8, 1]},
    }


def keras3_functional(layers):
    """The same chain as a Functional model with Keras 3's node format."""
    entries, previous, shape = [], None, [None, 8, 8, 1]
    for l in layers:
        e = keras3_layer(l)
        e["name"] = l["config"]["name"]
        if previous is None:
            e["inbound_nodes"] = []
        else:
            e["inbound_nodes"] = [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": [previous, 0, 0]}}], "kwargs": {}}]
        entries.append(e)
        previous = e["name"]
    return {
        "module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
        "config": {"name": "functional", "trainable": True, "layers": entries,
                   "input_layers": [layers[0]["config"]["name"], 0, 0], "output_layers": [previous, 0, 0]},
        "build_config": {"input_shape": [None, 8, 8, 1]},
    }


VGG_BLOCKS = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]


def vgg_notop(path, rng):
    """The layout of Keras's vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5: root layer_names
    (pools and input included), Keras 1 weight names, datasets directly in each layer's group."""
    names, weights, chain = ["input_1"], {}, []
    cin = 3
    for b, (filters, convs) in enumerate(VGG_BLOCKS, start=1):
        for c in range(1, convs + 1):
            name = f"block{b}_conv{c}"
            names.append(name)
            scale = np.sqrt(2.0 / (9 * cin))
            weights[name] = [
                (rng.standard_normal((3, 3, cin, filters)) * scale).astype(np.float32),
                (rng.standard_normal(filters) * 0.01).astype(np.float32),
            ]
            chain.append(keras2_conv(name, filters, (3, 3), "relu", padding="same"))
            cin = filters
        names.append(f"block{b}_pool")
        chain.append(keras2_simple(f"block{b}_pool", "MaxPooling2D", pool_size=[2, 2], strides=[2, 2], padding="valid"))
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([n.encode("utf8") for n in names])
        for name in names:
            g = f.create_group(name)
            values = weights.get(name, [])
            wn = [f"{name}_W_1:0", f"{name}_b_1:0"][: len(values)]
            g.attrs["weight_names"] = np.array([n.encode("utf8") for n in wn])
            for n, v in zip(wn, values):
                g.create_dataset(n, data=v)
    return chain, weights


def fixtures(out):
    rng = np.random.default_rng(20)
    layers, weights = small_cnn(rng)
    x = rng.random((2, 8, 8, 1)).astype(np.float32)
    expected = forward(layers, lambda e: weights.get(e["config"]["name"], []), x.astype(np.float64))

    keras2_full_model(f"{out}/keras2-model.h5", layers, weights)
    with h5py.File(f"{out}/keras2-weights.h5", "w") as f:
        write_keras2_weights_group(f, [l["config"]["name"] for l in layers[1:]], weights)
    keras3_archive(f"{out}/keras3-sequential.keras", keras3_sequential(layers), keras3_weights_h5(layers, weights))
    keras3_archive(f"{out}/keras3-functional.keras", keras3_functional(layers), keras3_weights_h5(layers, weights))
    with open(f"{out}/keras3.weights.h5", "wb") as f:
        f.write(keras3_weights_h5(layers, weights))
    # A model with a layer cnnlab does not read.
    bad = [dict(l) for l in layers]
    bad[3] = {"class_name": "BatchNormalization", "config": {"name": "batch_normalization", "axis": -1}}
    keras2_full_model(f"{out}/unsupported.h5", bad, weights)
    # The same model with a dense kernel of the wrong shape.
    wrong = dict(weights)
    wrong["dense"] = [np.zeros((26, 5), np.float32), weights["dense"][1]]
    keras2_full_model(f"{out}/mismatch.h5", layers, wrong)
    # HDF5's newest superblock (version 3), to exercise the header check's other branch.
    with h5py.File(f"{out}/keras2-weights-v3.h5", "w", libver="latest") as f:
        write_keras2_weights_group(f, [l["config"]["name"] for l in layers[1:]], weights)

    # A pretrained base as one layer of a Sequential model, as Keras tutorials build transfer
    # models: Sequential([base, Flatten(), Dense()]), the base's weights under its own group.
    base_layers = [
        {"class_name": "InputLayer", "name": "base_input", "config": {"batch_input_shape": [None, 8, 8, 1], "dtype": "float32", "sparse": False, "ragged": False, "name": "base_input"}, "inbound_nodes": []},
        dict(keras2_conv("conv2d", 4, (3, 3), "relu"), name="conv2d", inbound_nodes=[[["base_input", 0, 0, {}]]]),
    ]
    base = {"class_name": "Functional", "config": {"name": "base", "layers": base_layers, "input_layers": [["base_input", 0, 0]], "output_layers": [["conv2d", 0, 0]]}}
    nested_layers = [base, keras2_simple("flatten", "Flatten", data_format="channels_last"), keras2_dense("dense", 5, "softmax")]
    nested_weights = {"conv2d": weights["conv2d"], "dense": [rng.standard_normal((144, 5)).astype(np.float32) * 0.1, weights["dense"][1]]}
    with h5py.File(f"{out}/nested.h5", "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {"name": "transfer", "layers": nested_layers}}).encode("utf8")
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = np.array([b"base", b"flatten", b"dense"])
        mw.attrs["backend"] = b"tensorflow"
        mw.attrs["keras_version"] = b"2.15.0"
        g = mw.create_group("base")
        g.attrs["weight_names"] = np.array([b"conv2d/kernel:0", b"conv2d/bias:0"])
        g.create_dataset("conv2d/kernel:0", data=nested_weights["conv2d"][0])
        g.create_dataset("conv2d/bias:0", data=nested_weights["conv2d"][1])
        mw.create_group("flatten").attrs["weight_names"] = np.array([], dtype="S1")
        d = mw.create_group("dense")
        d.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        d.create_dataset("dense/kernel:0", data=nested_weights["dense"][0])
        d.create_dataset("dense/bias:0", data=nested_weights["dense"][1])
    chain = [base_layers[1], nested_layers[1], nested_layers[2]]
    nested_out = forward(chain, lambda e: nested_weights.get(e["config"]["name"], []), x.astype(np.float64))

    vgg_chain, vgg_weights = vgg_notop(f"{out}/vgg16-notop.h5", rng)
    vx = rng.random((1, 32, 32, 3)).astype(np.float32)
    vgg_out = forward(vgg_chain, lambda e: vgg_weights.get(e["config"]["name"], []), vx.astype(np.float64))

    with open(f"{out}/expected.json", "w") as f:
        json.dump({
            "input": x.ravel().tolist(), "inputShape": list(x.shape), "output": expected.ravel().tolist(),
            "nestedOutput": nested_out.ravel().tolist(),
            "denseBias": weights["dense"][1].tolist(),
            "vggInput": vx.ravel().tolist(), "vggOutput": vgg_out.ravel().tolist(),
            "vggConv1Bias": vgg_weights["block1_conv1"][1].tolist(),
        }, f)


# ---------------------------------------------------------------------------------------------
# Reader of cnnlab's exports: structure as Keras's loaders read it, and the numpy forward pass
# ---------------------------------------------------------------------------------------------

# Keras's constructor arguments (Keras 2 and 3 both call cls(**config)).
BASE = {"name", "trainable", "dtype"}
ALLOWED = {
    "InputLayer": {"batch_input_shape", "batch_shape", "dtype", "sparse", "ragged", "name"},
    "Conv2D": BASE | {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"},
    "Dense": BASE | {"units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"},
    "MaxPooling2D": BASE | {"pool_size", "strides", "padding", "data_format"},
    "AveragePooling2D": BASE | {"pool_size", "strides", "padding", "data_format"},
    "GlobalAveragePooling2D": BASE | {"data_format", "keepdims"},
    "GlobalMaxPooling2D": BASE | {"data_format", "keepdims"},
    "Flatten": BASE | {"data_format"},
    "Dropout": BASE | {"rate", "noise_shape", "seed"},
    "Activation": BASE | {"activation"},
}
INITIALIZER_ARGS = {
    "GlorotUniform": {"seed"}, "GlorotNormal": {"seed"}, "HeUniform": {"seed"}, "HeNormal": {"seed"},
    "LecunUniform": {"seed"}, "LecunNormal": {"seed"}, "Zeros": set(), "Ones": set(),
    "RandomNormal": {"mean", "stddev", "seed"}, "RandomUniform": {"minval", "maxval", "seed"},
    "TruncatedNormal": {"mean", "stddev", "seed"}, "VarianceScaling": {"scale", "mode", "distribution", "seed"},
}


def check_layer_config(entry, keras3, problems):
    c, config = entry["class_name"], entry["config"]
    extra = set(config) - ALLOWED.get(c, set())
    if c not in ALLOWED:
        problems.append(f"unknown class {c}")
    if extra:
        problems.append(f"{c} {config.get('name')}: arguments Keras does not take: {sorted(extra)}")
    if keras3 and entry.get("module") != "keras.layers":
        problems.append(f"{c}: module {entry.get('module')}")
    for key in ("kernel_initializer", "bias_initializer"):
        init = config.get(key)
        if isinstance(init, dict):
            if keras3 and init.get("module") != "keras.initializers":
                problems.append(f"{key} module {init.get('module')}")
            if init["class_name"] not in INITIALIZER_ARGS or set(init["config"]) - INITIALIZER_ARGS[init["class_name"]]:
                problems.append(f"{key} {init}")
            if init["class_name"] == "VarianceScaling" and init["config"].get("distribution") not in ("uniform", "truncated_normal", "untruncated_normal"):
                problems.append(f"{key} distribution {init['config'].get('distribution')}")


def read_export(path, input_path):
    with open(input_path) as f:
        spec = json.load(f)
    x = np.array(spec["input"], dtype=np.float64).reshape(spec["shape"])
    problems = []
    if path.endswith(".keras"):
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if names != {"metadata.json", "config.json", "model.weights.h5"}:
                problems.append(f"archive entries {sorted(names)}")
            config = json.loads(zf.read("config.json"))
            metadata = json.loads(zf.read("metadata.json"))
            if "keras_version" not in metadata:
                problems.append("metadata without keras_version")
            h5 = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
        if config.get("class_name") not in ("Sequential", "Functional"):
            problems.append(f"model class {config.get('class_name')}")
        layers = config["config"]["layers"]
        for entry in layers:
            check_layer_config(entry, True, problems)
        if "vars" not in h5:
            problems.append("no root vars group")
        body = layers[1:] if config["class_name"] == "Sequential" else [l for l in layers if l["class_name"] != "InputLayer"]
        paths = dict(zip([id(l) for l in body], keras3_paths([l["class_name"] for l in body])))

        def weights_of(entry):
            if entry["class_name"] == "InputLayer":
                return []
            g = h5[f"layers/{paths[id(entry)]}/vars"]
            return [np.asarray(g[k]) for k in sorted(g.keys(), key=int)]
    else:
        h5 = h5py.File(path, "r")
        for key in ("model_config", "keras_version", "backend"):
            if key not in h5.attrs:
                problems.append(f"no {key} attribute")
        raw = h5.attrs["model_config"]
        config = json.loads(raw.decode("utf8") if hasattr(raw, "decode") else raw)
        layers = config["config"]["layers"]
        for entry in layers:
            check_layer_config(entry, False, problems)
        mw = h5["model_weights"]
        layer_names = [n.decode("utf8") if hasattr(n, "decode") else n for n in mw.attrs["layer_names"]]

        def weights_of(entry):
            # As load_weights_from_hdf5_group: f[name], its weight_names, f[name][weight_name].
            name = entry["config"]["name"]
            if name not in layer_names:
                return []
            g = mw[name]
            names = [n.decode("utf8") if hasattr(n, "decode") else n for n in g.attrs["weight_names"]]
            return [np.asarray(g[n]) for n in names]
    out = forward(layers, weights_of, x)
    print(json.dumps({"output": out.ravel().tolist(), "problems": problems, "layers": [l["class_name"] for l in layers]}))


if __name__ == "__main__":
    if sys.argv[1] == "fixtures":
        fixtures(sys.argv[2])
    elif sys.argv[1] == "read":
        read_export(sys.argv[2], sys.argv[3])
