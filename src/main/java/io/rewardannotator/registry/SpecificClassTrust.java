package io.rewardannotator.registry;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Declares generated classes to Avro's {@link ClassSecurityValidator}.
 *
 * <p>Since Avro 1.12.2, {@code SpecificData} loads a class by the name in a schema only if the JVM-wide
 * validator trusts it, and by default it trusts none of the application's generated classes (unless
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} lists their package). The serdes therefore declare
 * what the application hands them: a generated class and the generated types its schema names, or a
 * class found by a writer schema's name that is a generated Avro type. Arbitrary classes named in
 * a schema from the registry stay forbidden: a class is trusted only after it was loaded without
 * initialization and found to implement a generated-type interface. The validator the JVM had
 * keeps deciding for every other class.
 */
final class SpecificClassTrust {

    private static final Set<String> TRUSTED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private SpecificClassTrust() {
    }

    /** Trusts {@code type} and the generated classes of every named type its schema contains. */
    static void trust(Class<? extends SpecificRecord> type) {
        install();
        TRUSTED.add(type.getName());
        for (Schema named : namedTypes(SpecificData.getForClass(type).getSchema(type))) {
            generatedClass(SpecificData.getClassName(named), type.getClassLoader());
        }
    }

    /** The trusted generated record class of this name, or null when there is none on the class path. */
    static Class<? extends SpecificRecord> generatedRecordClass(String className, ClassLoader loader) {
        Class<?> found = generatedClass(className, loader);
        if (found == null || !SpecificRecord.class.isAssignableFrom(found)) {
            return null;
        }
        Class<? extends SpecificRecord> record = found.asSubclass(SpecificRecord.class);
        trust(record);
        return record;
    }

    private static Class<?> generatedClass(String className, ClassLoader loader) {
        Class<?> found;
        try {
            found = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        boolean generated = SpecificRecord.class.isAssignableFrom(found)
                || GenericEnumSymbol.class.isAssignableFrom(found) && found.isEnum()
                || GenericFixed.class.isAssignableFrom(found);
        if (!generated) {
            return null;
        }
        install();
        TRUSTED.add(className);
        return found;
    }

    private static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                    candidate -> TRUSTED.contains(candidate.getName())));
        }
    }

    private static List<Schema> namedTypes(Schema root) {
        List<Schema> named = new ArrayList<>();
        collect(root, new IdentityHashMap<>(), named);
        return named;
    }

    private static void collect(Schema schema, Map<Schema, Boolean> seen, List<Schema> named) {
        if (seen.put(schema, Boolean.TRUE) != null) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                named.add(schema);
                schema.getFields().forEach(field -> collect(field.schema(), seen, named));
            }
            case ENUM, FIXED -> named.add(schema);
            case ARRAY -> collect(schema.getElementType(), seen, named);
            case MAP -> collect(schema.getValueType(), seen, named);
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, seen, named));
            default -> { }
        }
    }
}
