package org.nopelab.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nopelab.core.model.Tensor;

/**
 * The safetensors format (8-byte little-endian header length, a JSON header of name -> dtype, shape and
 * byte offsets, then raw little-endian data), float32 only. Files load in PyTorch with
 * {@code safetensors.torch.load_file}. The header JSON goes through Jackson.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {}

    /** A file's tensors in header order plus its string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /**
     * Writes tensors and metadata, both in name order, so that the same tensors give the same bytes (a hash can
     * then tell two runs apart; PyTorch's writer sorts by name too).
     */
    public static void write(Path file, Map<String, Tensor> unordered, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> tensors = new java.util.TreeMap<>(unordered);
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            new java.util.TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long s : e.getValue().shape()) shape.add(s);
            long bytes = 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // align the data start to 8 bytes, padding with spaces
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(head);
            for (Tensor t : tensors.values()) {
                ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                ch.write(buf);
            }
        }
    }

    /** Reads a file, checking its header against its size: a damaged or foreign file gets a message naming what is wrong. */
    public static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) throw new IOException(file + " is " + size / (1 << 20) + " MiB; files over 2 GiB are not supported");
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) throw new IOException(file + " is not a safetensors file: " + all.length + " bytes, too short for a header");
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength <= 1 || headerLength > all.length - 8) {
            throw new IOException(file + " is not a safetensors file (or is truncated): header length " + headerLength + " in a file of " + all.length + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not a safetensors file: its header is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) throw new IOException(file + " is not a safetensors file: its header is not a JSON object");
        int dataStart = 8 + (int) headerLength;
        long dataBytes = all.length - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                if (!e.getValue().isObject()) throw new IOException(file + ": __metadata__ is not a mapping of strings");
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String name = "'" + e.getKey() + "'";
            JsonNode t = e.getValue();
            if (!"F32".equals(t.path("dtype").asText())) throw new IOException(file + ": tensor " + name + " is " + (t.has("dtype") ? t.path("dtype").asText() : "missing its dtype") + "; only F32 is supported");
            JsonNode shapeNode = t.path("shape"), offsets = t.path("data_offsets");
            if (!shapeNode.isArray()) throw new IOException(file + ": tensor " + name + " has no shape");
            long[] shape = new long[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) throw new IOException(file + ": tensor " + name + " has shape " + shapeNode + "; dimensions are whole numbers >= 0");
                shape[i] = d.asLong();
                count = count > Integer.MAX_VALUE || shape[i] > Integer.MAX_VALUE ? Long.MAX_VALUE : count * shape[i]; // saturates, never wraps
            }
            if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
                throw new IOException(file + ": tensor " + name + " has no data_offsets [begin, end]");
            }
            long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
            if (begin < 0 || end < begin) throw new IOException(file + ": tensor " + name + " has data_offsets [" + begin + ", " + end + "]: reversed or negative");
            if (end > dataBytes) throw new IOException(file + ": tensor " + name + " ends at byte " + end + " of the data, which has only " + dataBytes + " bytes (truncated file?)");
            if (count > Integer.MAX_VALUE || end - begin != 4 * count) {
                throw new IOException(file + ": tensor " + name + " of shape " + java.util.Arrays.toString(shape) + " needs " + (count > Integer.MAX_VALUE ? "more than 2^31 values" : 4 * count + " bytes")
                        + ", its offsets give " + (end - begin));
            }
            float[] data = new float[(int) count];
            ByteBuffer.wrap(all, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            tensors.put(e.getKey(), new Tensor(shape, data));
        }
        // PyTorch writers sort by name; keep a stable order for callers
        return new Contents(tensors, metadata);
    }
}
