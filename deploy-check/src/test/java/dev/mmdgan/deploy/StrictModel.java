package dev.mmdgan.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Binds rendered manifests to fabric8's Kubernetes model, strictly: an unknown kind, a field the schema does not have
 * (which fabric8 would otherwise keep in {@code additionalProperties}), a value of the wrong type or a malformed
 * quantity is an error naming the object and the field's path.
 */
final class StrictModel {

    /** The kinds the manifests may use, by apiVersion and kind; anything else is refused. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/Namespace", Namespace.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "v1/Secret", Secret.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final ObjectMapper BINDER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private StrictModel() {
    }

    /** Every document of a multi-document YAML stream, bound to its model class; errors name the object and field. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<JsonNode> docs;
        try {
            docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
        } catch (JacksonException e) {
            throw new AssertionError("not valid YAML: " + e.getOriginalMessage(), e);
        }
        for (JsonNode doc : docs) {
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            String apiVersion = doc.path("apiVersion").asString("");
            String kind = doc.path("kind").asString("");
            String name = apiVersion + "/" + kind + " " + doc.path("metadata").path("name").asString("(no name)");
            Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
            if (type == null) {
                errors.add(name + ": kind not allowed here (allowed: " + KINDS.keySet().stream().sorted().toList() + ")");
                continue;
            }
            try {
                HasMetadata object = BINDER.treeToValue(doc, type);
                List<String> problems = new ArrayList<>();
                walk(object, "", problems, new IdentityHashMap<>());
                problems.forEach(p -> errors.add(name + ": " + p));
                objects.add(object);
            } catch (JacksonException e) {
                errors.add(name + ": " + e.getOriginalMessage() + " at " + e.getPathReference());
            }
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("manifests do not match the Kubernetes schema:\n  " + String.join("\n  ", errors));
        }
        return objects;
    }

    /** Visits every model object below {@code o}: unknown fields and malformed quantities become problems. */
    private static void walk(Object o, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Quantity q) {
            try {
                Quantity.getAmountInBytes(q);
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(path + ": malformed quantity '" + q + "'");
            }
            return;
        }
        if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", problems, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> problems.add((path.isEmpty() ? "" : path + ".") + k
                            + ": no such field in " + o.getClass().getSimpleName()));
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(value, path.isEmpty() ? field : path + "." + field, problems, seen);
        }
    }
}
