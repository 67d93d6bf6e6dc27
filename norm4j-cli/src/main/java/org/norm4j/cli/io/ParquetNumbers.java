package org.norm4j.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * One numeric column of one row group, decoded a page at a time into doubles (null: NaN): the fast path of
 * {@code fit} and of {@code transform}'s fitted columns. Definition levels and non-plain encodings are decoded
 * with parquet-column's readers, in windows of at most 2^13 values (memory never follows a declared count); a
 * dictionary is decoded once into doubles; plain pages of double, float, int32
 * and int64 are converted in bulk from the page's bytes, without a call per value.
 */
public final class ParquetNumbers {
    private final ParquetPages pages;
    private final ColumnDescriptor column;
    private final ParquetReader.Kind kind;
    private final int maxDef;
    private final double[] dictionary;
    private double[] values = new double[0];
    private boolean[] nulls = new boolean[0];
    private boolean anyNull;
    private int pos;
    private int count;

    ParquetNumbers(ParquetPages pages, ColumnDescriptor column, ParquetReader.Kind kind) throws IOException {
        this.pages = pages;
        this.column = column;
        this.kind = kind;
        this.maxDef = column.getMaxDefinitionLevel();
        DictionaryPage dp = pages.readDictionaryPage();
        if (dp == null) {
            dictionary = null;
        } else {
            Dictionary d = dp.getEncoding().initDictionary(column, dp);
            dictionary = new double[d.getMaxId() + 1];
            for (int id = 0; id < dictionary.length; id++) {
                dictionary[id] = decode(d, id);
            }
        }
    }

    private double decode(Dictionary d, int id) {
        switch (kind) {
            case DOUBLE:
                return d.decodeToDouble(id);
            case FLOAT:
                return d.decodeToFloat(id);
            case INT32:
                return d.decodeToInt(id);
            case UINT32:
                return Integer.toUnsignedLong(d.decodeToInt(id));
            case INT64:
                return d.decodeToLong(id);
            case UINT64:
                return ParquetReader.unsigned(d.decodeToLong(id));
            default:
                return d.decodeToBoolean(id) ? 1 : 0;
        }
    }

    /** The next {@code n} values into {@code buf[off + i * stride]}; {@code isNull} (or null) likewise. */
    void read(double[] buf, int off, int stride, int n, boolean[] isNull) throws IOException {
        int k = off;
        while (n > 0) {
            if (pos == count) {
                refill();
            }
            int m = Math.min(n, count - pos);
            for (int i = 0; i < m; i++, k += stride) {
                buf[k] = values[pos + i];
                if (isNull != null) {
                    isNull[k] = anyNull && nulls[pos + i];
                }
            }
            pos += m;
            n -= m;
        }
    }

    /** Values decoded at a time: a page declaring more is decoded in windows, so memory does not follow it. */
    private static final int WINDOW = 1 << 13;

    /** Decodes the next {@code n} non-null values of the current page. */
    private interface Decoder {
        void next(double[] out, int n) throws IOException;
    }

    private int pageLeft;
    private java.util.function.IntSupplier levels;
    private Decoder decoder;
    private double[] dense = new double[0];

    /** Decodes the next window of values (and nulls) of the current page, starting pages as needed. */
    private void refill() throws IOException {
        while (pageLeft == 0) {
            startPage();
        }
        int w = Math.min(pageLeft, WINDOW);
        if (values.length < w) {
            values = new double[w];
            nulls = new boolean[w];
            dense = new double[w];
        }
        int present = levels == null ? w : levels(w, levels);
        anyNull = present < w;
        decoder.next(anyNull ? dense : values, present);
        if (anyNull) {
            for (int i = 0, j = 0; i < w; i++) {
                values[i] = nulls[i] ? Double.NaN : dense[j++];
            }
        }
        pageLeft -= w;
        pos = 0;
        count = w;
    }

    private void startPage() throws IOException {
        DataPage page = pages.readPage();
        if (page == null) {
            throw new IOException("fewer values than the column chunk declares");
        }
        int n = page.getValueCount();
        if (n < 0) {
            throw new IOException("a data page of " + n + " values");
        }
        ByteBufferInputStream data;
        Encoding encoding;
        levels = null;
        if (page instanceof DataPageV1) {
            DataPageV1 p = (DataPageV1) page;
            data = p.getBytes().toInputStream();
            encoding = p.getValueEncoding();
            if (maxDef > 0) {
                ValuesReader dl = p.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
                dl.initFromPage(n, data);
                levels = dl::readInteger;
            }
        } else {
            DataPageV2 p = (DataPageV2) page;
            data = p.getData().toInputStream();
            encoding = p.getDataEncoding();
            if (maxDef > 0) {
                RunLengthBitPackingHybridDecoder dl = new RunLengthBitPackingHybridDecoder(
                        BytesUtils.getWidthFromMaxInt(maxDef), p.getDefinitionLevels().toInputStream());
                levels = () -> {
                    try {
                        return dl.readInt();
                    } catch (IOException e) {
                        throw new ParquetDecodingException(e);
                    }
                };
            }
        }
        decoder = decoder(encoding, data, n);
        pageLeft = n;
    }

    /** Reads {@code n} definition levels into {@link #nulls}; returns the number of non-null values. */
    private int levels(int n, java.util.function.IntSupplier next) {
        int present = 0;
        for (int i = 0; i < n; i++) {
            int d = next.getAsInt();
            if (d < 0 || d > maxDef) {
                throw new ParquetDecodingException("definition level " + d + ": expected 0 to " + maxDef);
            }
            nulls[i] = d != maxDef;
            present += nulls[i] ? 0 : 1;
        }
        return present;
    }

    private Decoder decoder(Encoding encoding, ByteBufferInputStream data, int n) throws IOException {
        if (encoding.usesDictionary()) {
            if (dictionary == null) {
                throw new IOException("a dictionary-encoded page without a dictionary");
            }
            ValuesReader ids = encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, null);
            ids.initFromPage(n, data);
            return (out, k) -> {
                for (int i = 0; i < k; i++) {
                    int id = ids.readValueDictionaryId();
                    if (id < 0 || id >= dictionary.length) {
                        throw new IOException("dictionary id " + id + ": expected 0 to " + (dictionary.length - 1));
                    }
                    out[i] = dictionary[id];
                }
            };
        }
        if (encoding == Encoding.PLAIN && kind != ParquetReader.Kind.BOOLEAN) {
            ByteBuffer b = data.slice(data.available()).order(ByteOrder.LITTLE_ENDIAN);
            return (out, k) -> plain(b, out, k);
        }
        ValuesReader r = encoding.getValuesReader(column, ValuesType.VALUES);
        r.initFromPage(n, data);
        return (out, k) -> {
            for (int i = 0; i < k; i++) {
                switch (kind) {
                    case DOUBLE:
                        out[i] = r.readDouble();
                        break;
                    case FLOAT:
                        out[i] = r.readFloat();
                        break;
                    case INT32:
                        out[i] = r.readInteger();
                        break;
                    case UINT32:
                        out[i] = Integer.toUnsignedLong(r.readInteger());
                        break;
                    case INT64:
                        out[i] = r.readLong();
                        break;
                    case UINT64:
                        out[i] = ParquetReader.unsigned(r.readLong());
                        break;
                    default:
                        out[i] = r.readBoolean() ? 1 : 0;
                        break;
                }
            }
        };
    }

    /** The next {@code n} plain little-endian values of {@code b}, converted in bulk. */
    private void plain(ByteBuffer b, double[] out, int n) throws IOException {
        int width = kind == ParquetReader.Kind.DOUBLE || kind == ParquetReader.Kind.INT64
                || kind == ParquetReader.Kind.UINT64 ? 8 : 4;
        if ((long) n * width > b.remaining()) {
            throw new IOException("a plain page with " + b.remaining() + " bytes left for " + n + " values of "
                    + width + " bytes");
        }
        int at = b.position(); // absolute indices from here
        switch (kind) {
            case DOUBLE:
                b.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out, 0, n);
                break;
            case FLOAT:
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(at + i * 4);
                }
                break;
            case INT32:
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(at + i * 4);
                }
                break;
            case UINT32:
                for (int i = 0; i < n; i++) {
                    out[i] = Integer.toUnsignedLong(b.getInt(at + i * 4));
                }
                break;
            case INT64:
                for (int i = 0; i < n; i++) {
                    out[i] = b.getLong(at + i * 8);
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    out[i] = ParquetReader.unsigned(b.getLong(at + i * 8));
                }
                break;
        }
        b.position(at + n * width);
    }
}
