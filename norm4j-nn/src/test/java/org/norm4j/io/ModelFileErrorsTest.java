package org.norm4j.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.models.Sequential;

/**
 * Truncated, foreign or malformed model files give an IOException naming the file, the member or path inside
 * it, the value and what was expected — never another exception, never a half-built model.
 */
class ModelFileErrorsTest {
    @TempDir
    Path dir;

    static Map<String, byte[]> members(String fixture) throws IOException {
        return ZipMembers.read(Files.readAllBytes(KerasFixturesTest.fixture(fixture)), fixture);
    }

    /** A zip of the given members (stored, with correct CRCs). */
    static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                e.setMethod(ZipEntry.STORED);
                e.setSize(m.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(m.getValue());
                e.setCrc(crc.getValue());
                z.putNextEntry(e);
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The .keras fixture with its config.json text edited. */
    Path editedConfig(String fixture, String from, String to) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>(members(fixture));
        String c = new String(m.get("config.json"), StandardCharsets.UTF_8);
        assertTrue(c.contains(from), "fixture config contains " + from);
        m.put("config.json", c.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("edited.keras");
        Files.write(f, zip(m));
        return f;
    }

    static void assertMessage(IOException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void missingMember() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>(members("dense.keras"));
        m.remove("model.weights.h5");
        Path f = dir.resolve("missing.keras");
        Files.write(f, zip(m));
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(f)), f.toString(), "model.weights.h5");
    }

    @Test
    void wrongShape() throws IOException {
        Path f = editedConfig("dense.keras", "\"units\": 4", "\"units\": 5");
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(f)), f.toString(),
                "model.weights.h5!layers/dense/vars/0", "shape [5, 4]", "expected [5, 5]");
    }

    @Test
    void unknownLayerKeyAndValue() throws IOException {
        Path cls = editedConfig("dense.keras", "\"class_name\": \"Dense\"", "\"class_name\": \"Conv3D\"");
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(cls)), cls.toString(), "config.json",
                "Conv3D", "expected one of");
        Path key = editedConfig("dense.keras", "\"use_bias\"", "\"lora_rank\": 4, \"use_bias\"");
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(key)), "layer 'dense'", "(Dense)",
                "lora_rank");
        Path reg = editedConfig("dense.keras", "\"kernel_regularizer\": null",
                "\"kernel_regularizer\": \"l2\"");
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(reg)), "kernel_regularizer = l2",
                "supports only null");
    }

    @Test
    void frozenKerasModelFreezesEveryLayer() throws IOException {
        Path f = editedConfig("dense.keras", "\"trainable\": true", "\"trainable\": false");
        Sequential model = ModelIO.load(f);
        assertTrue(model.trainableWeights().isEmpty(), "a model saved with trainable=False has no trainable weights");
        assertTrue(ModelIO.load(KerasFixturesTest.fixture("dense.keras")).trainableWeights().size() == 3,
                "the unedited model has Dense kernel, bias and the second kernel trainable");
    }

    @Test
    void mixedPrecisionRefused() throws IOException {
        Path f = editedConfig("batch_normalization.keras", "\"name\": \"float32\"", "\"name\": \"mixed_float16\"");
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(f)), "mixed_float16",
                "expected float32 or float64");
    }

    @Test
    void hugeLayerInASmallFileAllocatesNothingLarge() throws IOException {
        Path f = editedConfig("dense.keras", "\"units\": 4", "\"units\": 2000000000");
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(f)), f.toString(), "needs", "values",
                "expected at most");
    }

    @Test
    void flippedBitInAMemberIsACrcError() throws IOException {
        byte[] b = Files.readAllBytes(KerasFixturesTest.fixture("dense.keras"));
        byte[] c = b.clone();
        c[b.length / 2] ^= 0x10;
        Path f = dir.resolve("flipped.keras");
        Files.write(f, c);
        IOException e = assertThrows(IOException.class, () -> ModelIO.load(f));
        assertMessage(e, f.toString());
    }

    @Test
    void weightsOfALargerModelAreRefused() throws IOException {
        Sequential small = new Sequential(new org.norm4j.layers.Input(5), new org.norm4j.layers.Dense(4, "relu"),
                new org.norm4j.layers.BatchNormalization());
        IOException e = assertThrows(IOException.class,
                () -> ModelIO.loadWeights(small, KerasFixturesTest.fixture("functional.weights.h5")));
        assertMessage(e, "functional.weights.h5!layers/dense_1/vars", "a layer the model does not have");
    }

    @Test
    void compressedDatasetRefused() throws IOException {
        Sequential model = ModelIO.load(KerasFixturesTest.fixture("dense.keras"));
        Path f = dir.resolve("deflated.weights.h5");
        try (io.jhdf.WritableHdfFile h5 = io.jhdf.HdfFile.write(f)) {
            io.jhdf.api.WritableGroup layers = h5.putGroup("layers");
            io.jhdf.api.WritableGroup d0 = layers.putGroup("dense").putGroup("vars");
            d0.putDataset("0", TfKeras2FilesTest.rows(model.weights().get(0).value()),
                    io.jhdf.api.DatasetCreationOptions.builder().chunkDimensions(5, 4).deflate().build());
            d0.putDataset("1", model.weights().get(1).value().rawFloats());
            layers.putGroup("dense_1").putGroup("vars").putDataset("0",
                    TfKeras2FilesTest.rows(model.weights().get(2).value()));
        }
        IOException e = assertThrows(IOException.class, () -> ModelIO.loadWeights(model, f));
        assertMessage(e, f.toString(), "layers/dense/vars/0", "compressed or filtered dataset");
    }

    @Test
    void truncatedAndForeignFiles() throws IOException {
        byte[] h5 = Files.readAllBytes(KerasFixturesTest.fixture("dense.h5"));
        Path t = dir.resolve("truncated.h5");
        Files.write(t, java.util.Arrays.copyOf(h5, h5.length / 3));
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(t)), t.toString());
        Path png = dir.resolve("foreign.keras");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(png)), png.toString(),
                "neither a zip nor an HDF5 signature");
        Path weightsOnly = KerasFixturesTest.fixture("dense.weights.h5");
        assertMessage(assertThrows(IOException.class, () -> ModelIO.load(weightsOnly)), "model_config");
    }

    @Test
    void weightsOfAnotherModelLeaveTheModelUnchanged() throws IOException {
        Sequential model = ModelIO.load(KerasFixturesTest.fixture("batch_normalization.keras"));
        double[] before = model.weights().get(0).value().toDoubleArray();
        IOException e = assertThrows(IOException.class,
                () -> ModelIO.loadWeights(model, KerasFixturesTest.fixture("layer_normalization.weights.h5")));
        assertMessage(e, "layer_normalization.weights.h5", "layers/");
        assertTrue(java.util.Arrays.equals(before, model.weights().get(0).value().toDoubleArray()),
                "weights changed by a failed load");
    }

}
