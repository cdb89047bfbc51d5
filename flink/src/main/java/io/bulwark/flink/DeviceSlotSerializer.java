package io.bulwark.flink;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;

/**
 * Flink serialiser for {@link DeviceSlot}: the JDK's serialisation, which the detector contract
 * promises (every detector state is Serializable, with a serialVersionUID), framed by a length.
 * An explicit serialiser, so state never falls back to Kryo. With the heap state backend it
 * runs only at checkpoints and restores; with RocksDB it would run on every access.
 *
 * <p>Upgrading the job keeps state when each state class keeps its serialVersionUID and its
 * changes are ones Java serialisation tolerates (added fields, removed fields): see
 * docs/scale-out.md.
 */
public final class DeviceSlotSerializer extends TypeSerializer<DeviceSlot> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<DeviceSlot> duplicate() {
        return this;
    }

    @Override
    public DeviceSlot createInstance() {
        return null;
    }

    @Override
    public DeviceSlot copy(DeviceSlot from) {
        return from == null ? null : read(bytes(from));
    }

    @Override
    public DeviceSlot copy(DeviceSlot from, DeviceSlot reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DeviceSlot record, DataOutputView target) throws IOException {
        byte[] b = bytes(record);
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public DeviceSlot deserialize(DataInputView source) throws IOException {
        byte[] b = new byte[source.readInt()];
        source.readFully(b);
        return read(b);
    }

    @Override
    public DeviceSlot deserialize(DeviceSlot reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof DeviceSlotSerializer;
    }

    @Override
    public int hashCode() {
        return DeviceSlotSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<DeviceSlot> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Bytes of one device's state as a checkpoint stores it (the sizing figure in docs). */
    static byte[] bytes(DeviceSlot s) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static DeviceSlot read(byte[] b) {
        try (ObjectInputStream in = new UserClassesInput(new ByteArrayInputStream(b))) {
            return (DeviceSlot) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("state class missing from the job jar: " + e.getMessage(), e);
        }
    }

    /** Resolves classes through the job's class loader (the user-code loader on a cluster). */
    private static final class UserClassesInput extends ObjectInputStream {
        UserClassesInput(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            if (cl != null) {
                try {
                    return Class.forName(desc.getName(), false, cl);
                } catch (ClassNotFoundException e) {
                    // fall through to the default resolution
                }
            }
            return super.resolveClass(desc);
        }
    }

    /** Version 1: a length-framed Java serialisation of {@link DeviceSlot}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeviceSlot> {
        public Snapshot() {
            super(DeviceSlotSerializer::new);
        }
    }
}
