package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.TableMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders sections by their declared dependencies ({@link TableMapper#dependsOn()}): each after the sections it
 * refers to, otherwise in the order given. Exports write them in this order, imports write them in this order and
 * remove rows in the reverse one, so rows that point at a row go before it does.
 */
public final class SectionOrder {
    private SectionOrder() {
    }

    /**
     * The mappers, each after those it depends on; a dependency on a section no mapper has is ignored.
     *
     * @throws IllegalArgumentException for a cycle, naming it
     */
    public static List<TableMapper> sort(List<TableMapper> mappers) {
        Map<String, TableMapper> bySection = new HashMap<>();
        mappers.forEach(m -> bySection.put(m.section(), m));
        List<TableMapper> sorted = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (TableMapper mapper : mappers) {
            visit(mapper, bySection, done, new ArrayList<>(), sorted);
        }
        return sorted;
    }

    private static void visit(TableMapper mapper, Map<String, TableMapper> bySection, Set<String> done, List<String> path,
                              List<TableMapper> sorted) {
        if (done.contains(mapper.section())) {
            return;
        }
        if (path.contains(mapper.section())) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(mapper.section()), path.size()));
            cycle.add(mapper.section());
            throw new IllegalArgumentException("sections depend on each other in a cycle: " + String.join(" -> ", cycle)
                    + "; a backup could not be read in one pass");
        }
        path.add(mapper.section());
        for (String dependency : mapper.dependsOn()) {
            TableMapper before = bySection.get(dependency);
            if (before != null) {
                visit(before, bySection, done, path, sorted);
            }
        }
        path.remove(path.size() - 1);
        done.add(mapper.section());
        sorted.add(mapper);
    }
}
