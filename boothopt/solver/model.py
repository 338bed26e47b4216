"""The CP-SAT model: one boolean per (group, placement), built from small named parts.

Variables, then each constraint family (cells used once, group sizes, competitors apart,
partners close), then the objective, term by term. Every term is maximized.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from boothopt.solver.candidates import Group
from boothopt.solver.greedy import Choice, competitor_distances
from boothopt.solver.problem import Problem, across_one_aisle_m
from boothopt.solver.result import (
    candidate_terms,
    partner_pairs,
    rect_distance,
    term_weights,
    too_close,
)
from boothopt.solver.zoning import bfs_tree

# Objective coefficients are floats in the event's units; CP-SAT wants integers.
SCALE = 1000


class AllocationModel:
    """The CP-SAT model of one problem.

    ``unbroken_rows`` adds the rule that a zone's booths fill one unbroken stretch of each block
    it keeps; the whole floor's first pass leaves it to the hall passes, where it costs less
    (with it, the first pass on smartlife-2024 found nothing better than its start in 18 s).
    The rule that a block hangs from its parent only where zone booths face across the aisle is
    in every pass: left to the hall passes, a hall's model could not repair a whole floor's
    layout without it, and 23 social-tech booths were left out.
    """

    def __init__(self, problem: Problem, groups: list[Group], unbroken_rows: bool = True) -> None:
        self.problem = problem
        self.groups = groups
        self.model = cp_model.CpModel()
        self.group_of = {e.id: g for g in groups for e in g.members}
        self.x: list[list[cp_model.IntVar]] = []
        self.ranked: list[list[cp_model.IntVar]] = []  # per group: r-th best member placed
        self.partner_links: list[tuple[str, str, int, cp_model.IntVar]] = []
        self.objective_terms: list[tuple[cp_model.IntVar, int]] = []
        self.term_parts: dict[str, list[tuple[cp_model.IntVar, int]]] = {}
        # Zone areas: which blocks each zone keeps, and the tree that keeps them connected.
        self.own: dict[tuple[str, int], cp_model.IntVar] = {}
        self.open: dict[int, cp_model.IntVar] = {}
        self.root: dict[tuple[str, int], cp_model.IntVar] = {}
        self.depth: dict[tuple[str, int], cp_model.IntVar] = {}
        self.parent: dict[tuple[str, int, int], cp_model.IntVar] = {}
        self.column: dict[tuple[int, int], cp_model.IntVar] = {}  # (block, i): a booth there
        self.run_start: dict[tuple[int, int], cp_model.IntVar] = {}
        self.by_cell: dict[int, list[cp_model.IntVar]] = {}
        # (zone, k, j, cell of k, cell of j): booths on both cells, which face across the aisle
        self.facing: dict[tuple[str, int, int, int, int], cp_model.IntVar] = {}
        self._variables()
        self._cells_used_once()
        self._group_sizes()
        self._zones_whole_blocks()
        self._zones_connected()
        if unbroken_rows and not problem.gaps_allowed:
            self._zones_unbroken_rows()
        self._zones_facing()
        self._competitors_apart()
        self._partners_close()
        self._objective()

    def _variables(self) -> None:
        """Add x[g][k]: group g takes candidate k."""
        for g in self.groups:
            self.x.append([self.model.new_bool_var(f"x{g.index}_{k}") for k in range(g.size)])

    def _cells_used_once(self) -> None:
        """Let no two booths share a module cell."""
        by_cell: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        self.by_cell = by_cell
        for g in self.groups:
            for k, cells in enumerate(g.cells):
                var = self.x[g.index][k]
                for c in cells:
                    by_cell[int(c)].append(var)
        for cell in sorted(by_cell):
            if len(by_cell[cell]) > 1:
                self.model.add_at_most_one(by_cell[cell])

    def _group_sizes(self) -> None:
        """Place at most the group's members; rank who stands by priority (best first)."""
        for g in self.groups:
            xs = self.x[g.index]
            ranked = [self.model.new_bool_var(f"r{g.index}_{r}") for r in range(len(g.members))]
            self.ranked.append(ranked)
            if not xs:
                for r in ranked:
                    self.model.add(r == 0)
                continue
            self.model.add(sum(xs) == sum(ranked))
            for a, b in itertools.pairwise(ranked):
                self.model.add_implication(b, a)  # the r+1-th best stands only if the r-th does
            if xs and any(m.id in self.problem.locked for m in g.members):
                self.model.add(sum(xs) == 1)  # a locked booth is kept, whatever it costs

    def _zone_of(self, g: Group) -> str | None:
        """Return the zone of a group's members, when it has an area to keep."""
        zone = g.members[0].zone
        return zone if zone is not None and zone in self.problem.zone_reach else None

    def _zones_whole_blocks(self) -> None:
        """Let a zone keep whole blocks: a block holding its members holds nobody else."""
        members: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        others: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for g in self.groups:
            zone = self._zone_of(g)
            for k, var in enumerate(self.x[g.index]):
                if zone is None:
                    others[int(g.slot[k])].append(var)
                else:
                    members[zone, int(g.slot[k])].append(var)
        zones_in: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (zone, block), xs in sorted(members.items()):
            own = self.model.new_bool_var(f"own_{zone}_{block}")
            self.own[zone, block] = own
            zones_in[block].append(own)
            for var in xs:
                self.model.add_implication(var, own)
            # A zone keeps only blocks where a member stands: its area is where its booths are.
            self.model.add_bool_or(xs).only_enforce_if(own)
        for block, owners in sorted(zones_in.items()):
            if block not in others:
                if len(owners) > 1:
                    self.model.add_at_most_one(owners)
                continue
            is_open = self.model.new_bool_var(f"open_{block}")
            self.open[block] = is_open
            self.model.add(sum(owners) + is_open <= 1)
            for var in others[block]:
                self.model.add_implication(var, is_open)

    def _zones_connected(self) -> None:
        """Keep each contiguous zone's blocks connected: a tree hanging from one root block.

        Every kept block but the root hangs from a kept neighbour (touching, or facing it across
        one aisle) one step nearer the root.
        """
        contiguous = {z.id for z in self.problem.event.zones if z.contiguous}
        blocks: dict[str, list[int]] = defaultdict(list)
        for zone, block in self.own:
            blocks[zone].append(block)
        for zone, ks in sorted(blocks.items()):
            if zone not in contiguous or len(ks) < 2:
                continue
            inside = set(ks)
            roots = []
            for k in ks:
                root = self.model.new_bool_var(f"root_{zone}_{k}")
                depth = self.model.new_int_var(0, len(ks) - 1, f"depth_{zone}_{k}")
                self.root[zone, k], self.depth[zone, k] = root, depth
                roots.append(root)
            self.model.add_at_most_one(roots)
            for k in ks:
                own, root, depth = self.own[zone, k], self.root[zone, k], self.depth[zone, k]
                self.model.add_implication(root, own)
                self.model.add(depth == 0).only_enforce_if(root)
                parents = []
                for j in sorted(self.problem.neighbours[k] & inside - {k}):
                    p = self.model.new_bool_var(f"par_{zone}_{k}_{j}")
                    self.parent[zone, k, j] = p
                    self.model.add_implication(p, self.own[zone, j])
                    self.model.add(depth == self.depth[zone, j] + 1).only_enforce_if(p)
                    parents.append(p)
                # A kept block other than the root hangs from exactly one parent.
                self.model.add(sum(parents) == own - root)

    def _zones_unbroken_rows(self) -> None:
        """In a block a zone keeps, let its booths fill one unbroken stretch along the rows.

        With no empty column between them, each booth touches the next (side by side, back to
        back or corner to corner), so the zone's booths in a block form one group.
        """
        blocks = sorted({block for _, block in self.own})
        if not blocks:
            return
        column_of = self.problem.cell_column
        covering: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        wanted = set(blocks)
        for g in self.groups:
            for k, var in enumerate(self.x[g.index]):
                block = int(g.slot[k])
                if block in wanted:
                    for i in sorted({int(c) for c in column_of[g.cells[k]]}):
                        covering[block, i].append(var)
        owners: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (_, block), own in self.own.items():
            owners[block].append(own)
        for block in blocks:
            starts = []
            previous = None
            for i in range(self.problem.slots[block].n_along):
                xs = covering.get((block, i))
                if not xs:
                    previous = None
                    continue
                col = self.model.new_bool_var(f"col_{block}_{i}")
                start = self.model.new_bool_var(f"start_{block}_{i}")
                self.column[block, i], self.run_start[block, i] = col, start
                for var in xs:
                    self.model.add_implication(var, col)
                self.model.add_bool_or(xs).only_enforce_if(col)
                # A stretch starts where a used column follows an unused one (or none).
                if previous is None:
                    self.model.add_implication(col, start)
                else:
                    self.model.add_bool_or([~col, previous, start])
                starts.append(start)
                previous = col
            for own in owners[block]:
                self.model.add(sum(starts) <= 1).only_enforce_if(own)

    def _zones_facing(self) -> None:
        """Let a block hang from its parent only where booths of the zone face across the aisle.

        Some cell of the block and some cell of its parent, at most the widest aisle apart, both
        hold a booth of the zone (each block holds the zone's booths only): with the unbroken
        rows, every booth of the zone then reaches every other through booths that touch or
        face each other across one aisle.
        """
        if not self.parent:
            return
        gap = across_one_aisle_m(self.problem.event.scheme)
        module = self.problem.module_m
        pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for zone, k, j in sorted(self.parent):
            if (k, j) not in pairs:
                pairs[k, j] = self._facing_cells(k, j, gap, module)
            options = []
            for ck, cj in pairs[k, j]:
                if not self.by_cell.get(ck) or not self.by_cell.get(cj):
                    continue
                f = self.model.new_bool_var(f"face_{zone}_{k}_{j}_{ck}_{cj}")
                self.model.add_bool_or(self.by_cell[ck]).only_enforce_if(f)
                self.model.add_bool_or(self.by_cell[cj]).only_enforce_if(f)
                self.facing[zone, k, j, ck, cj] = f
                options.append(f)
            parent = self.parent[zone, k, j]
            if options:
                self.model.add_bool_or(options).only_enforce_if(parent)
            else:
                self.model.add(parent == 0)

    def _facing_cells(self, k: int, j: int, gap: float, module: float) -> list[tuple[int, int]]:
        """Return the pairs of free cells of blocks ``k`` and ``j`` at most ``gap`` apart."""
        out: list[tuple[int, int]] = []
        a, b = self.problem.slots[k], self.problem.slots[j]
        cells_a = [
            (int(a.cell_ids[i, d]), a.box(i, d, 1, 1, module))
            for i in range(a.n_along)
            for d in range(a.n_deep)
            if a.cell_ids[i, d] >= 0
        ]
        cells_b = [
            (int(b.cell_ids[i, d]), b.box(i, d, 1, 1, module))
            for i in range(b.n_along)
            for d in range(b.n_deep)
            if b.cell_ids[i, d] >= 0
        ]
        if not cells_a or not cells_b:
            return out
        boxes_a = np.array([box for _, box in cells_a])
        boxes_b = np.array([box for _, box in cells_b])
        near = rect_distance(boxes_a, boxes_b) <= gap
        for ia, ib in zip(*np.nonzero(near), strict=True):
            out.append((cells_a[int(ia)][0], cells_b[int(ib)][0]))
        return out

    def _competitors_apart(self) -> None:
        """Keep each pair of competitors at least their distance apart, edge to edge."""
        apart = competitor_distances(self.problem)
        for e_id, others in sorted(apart.items()):
            for f_id, metres in sorted(others.items()):
                # A model of part of the floor (one hall) has only some of the exhibitors.
                if e_id >= f_id or e_id not in self.group_of or f_id not in self.group_of:
                    continue
                ge, gf = self.group_of[e_id], self.group_of[f_id]
                if ge.size == 0 or gf.size == 0:
                    continue
                close = too_close(self.problem, ge.slot, ge.boxes, gf.slot, gf.boxes, metres)
                for k in np.nonzero(close.any(axis=1))[0]:
                    near = [self.x[gf.index][int(m)] for m in np.nonzero(close[k])[0]]
                    self.model.add(sum(near) == 0).only_enforce_if(self.x[ge.index][int(k)])

    def _partners_close(self) -> None:
        """Add a link per partner pair and block: set only if both stand there or next door."""
        for a_id, b_id in partner_pairs(self.problem):
            if a_id not in self.group_of or b_id not in self.group_of:
                continue
            ga, gb = self.group_of[a_id], self.group_of[b_id]
            if ga.size == 0 or gb.size == 0:
                continue
            a_in: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            b_in: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for k, s in enumerate(ga.slot):
                a_in[int(s)].append(self.x[ga.index][k])
            for k, s in enumerate(gb.slot):
                b_in[int(s)].append(self.x[gb.index][k])
            for s in sorted(a_in):
                near_b = [v for t in sorted(self.problem.neighbours[s]) for v in b_in.get(t, [])]
                if not near_b:
                    continue
                link = self.model.new_bool_var(f"p_{a_id}_{b_id}_{s}")
                self.model.add(link <= sum(a_in[s]))
                self.model.add(link <= sum(near_b))
                self.partner_links.append((a_id, b_id, s, link))

    def _objective(self) -> None:
        """Maximize the weighted soft terms, each scaled to integers."""
        weights = term_weights(self.problem)
        prio = self.problem.priority
        parts: dict[str, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        for g in self.groups:
            for r, var in enumerate(self.ranked[g.index]):
                parts["placed"].append((var, round(SCALE * prio[g.members[r].id])))
            if g.size == 0:
                continue
            for name, values in candidate_terms(self.problem, g).items():
                for k, value in enumerate(np.asarray(values)):
                    coef = round(SCALE * float(value))
                    if coef:
                        parts[name].append((self.x[g.index][k], coef))
        for *_, link in self.partner_links:
            parts["partners"].append((link, SCALE))
        self.term_parts = dict(parts)
        total: dict[cp_model.IntVar, int] = defaultdict(int)
        for name, pairs in sorted(self.term_parts.items()):
            for var, coef in pairs:
                total[var] += round(weights[name] * coef)
        self.objective_terms = [(v, c) for v, c in total.items() if c]
        self.model.maximize(sum(c * v for v, c in self.objective_terms))

    def term_values(self, chosen: dict[str, Choice]) -> dict[str, int]:
        """Return each term's value in the model's integer units at a layout."""
        on = self._layout_values(chosen)
        return {
            name: sum(coef for var, coef in pairs if on.get(var.index, False))
            for name, pairs in self.term_parts.items()
        }

    def add_floors(self, floors: dict[str, int]) -> None:
        """Keep every term at least at ``floors`` (the model's integer units)."""
        for name, pairs in sorted(self.term_parts.items()):
            if name in floors:
                self.model.add(sum(c * v for v, c in pairs) >= floors[name])

    def polish(self, floors: dict[str, int], raise_terms: dict[str, float]) -> None:
        """Keep every term at least at ``floors``; maximize ``raise_terms`` (name -> weight)."""
        self.add_floors(floors)
        goal: dict[cp_model.IntVar, int] = defaultdict(int)
        for name, weight in sorted(raise_terms.items()):
            for var, coef in self.term_parts.get(name, []):
                goal[var] += round(weight * coef)
        self.model.maximize(sum(c * v for v, c in goal.items() if c))

    def _layout_values(self, chosen: dict[str, Choice]) -> dict[int, int]:
        """Return the value of every variable (by index) at a layout."""
        out: dict[int, int] = {}
        picked = {(g, k) for g, k in chosen.values()}
        for g in self.groups:
            for k, var in enumerate(self.x[g.index]):
                out[var.index] = (g.index, k) in picked
            count = sum(1 for gi, _ in chosen.values() if gi == g.index)
            for r, var in enumerate(self.ranked[g.index]):
                out[var.index] = r < count
        slot_of = {e: int(self.groups[g].slot[k]) for e, (g, k) in chosen.items()}
        for a_id, b_id, s, link in self.partner_links:
            out[link.index] = (
                slot_of.get(a_id) == s and slot_of.get(b_id) in self.problem.neighbours[s]
            )
        kept: dict[str, set[int]] = defaultdict(set)
        for gi, k in chosen.values():
            zone = self._zone_of(self.groups[gi])
            if zone is not None:
                kept[zone].add(int(self.groups[gi].slot[k]))
        for (zone, block), own in self.own.items():
            out[own.index] = block in kept[zone]
        taken = set().union(*kept.values()) if kept else set()
        for block, is_open in self.open.items():
            out[is_open.index] = block not in taken
        covered = {int(c) for gi, k in chosen.values() for c in self.groups[gi].cells[k]}
        faces = {key: key[3] in covered and key[4] in covered for key in self.facing}
        for key, f in self.facing.items():
            out[f.index] = faces[key]
        for zone in {z for z, _ in self.root}:
            linked = {(k, j) for (z, k, j, _, _), on in faces.items() if z == zone and on}
            parent, depth = bfs_tree(self.problem, kept[zone], linked or None)
            for (z, k), root in self.root.items():
                if z == zone:
                    out[root.index] = depth.get(k) == 0
                    out[self.depth[z, k].index] = depth.get(k, 0)
            for (z, k, j), p in self.parent.items():
                if z == zone:
                    out[p.index] = parent.get(k) == j
        if self.column:
            column_of = self.problem.cell_column
            used = set()
            for gi, k in chosen.values():
                g = self.groups[gi]
                used |= {(int(g.slot[k]), int(c)) for c in column_of[g.cells[k]]}
            for (block, i), col in self.column.items():
                out[col.index] = (block, i) in used
                before = (block, i - 1) in used and (block, i - 1) in self.column
                out[self.run_start[block, i].index] = (block, i) in used and not before
        return out

    def fix_who_is_placed(self, chosen: dict[str, Choice]) -> None:
        """Keep the placed set of a layout: each group places exactly as many members as it."""
        for g in self.groups:
            count = sum(1 for gi, _ in chosen.values() if gi == g.index)
            for r, var in enumerate(self.ranked[g.index]):
                self.model.add(var == int(r < count))

    def keep_placed(self, chosen: dict[str, Choice]) -> None:
        """Keep everyone a layout places placed; members waiting beside them may be placed too."""
        for g in self.groups:
            count = sum(1 for gi, _ in chosen.values() if gi == g.index)
            for var in self.ranked[g.index][:count]:
                self.model.add(var == 1)

    def place_everyone(self) -> None:
        """Require every member of every group placed."""
        for g in self.groups:
            self.model.add(sum(self.x[g.index]) == len(g.members))

    def add_hint(self, chosen: dict[str, Choice]) -> None:
        """Start the search from a layout (the greedy's, or the last pass's)."""
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        values = self._layout_values(chosen)
        variables = [*itertools.chain.from_iterable(self.x), *itertools.chain(*self.ranked)]
        variables += [link for *_, link in self.partner_links]
        variables += [*self.own.values(), *self.open.values(), *self.root.values()]
        variables += [*self.depth.values(), *self.parent.values()]
        variables += [*self.column.values(), *self.run_start.values(), *self.facing.values()]
        for var in variables:
            self.model.add_hint(var, values[var.index])

    def kept_blocks(self, solver: cp_model.CpSolver) -> dict[str, set[int]]:
        """Return the blocks each zone keeps in the solver's layout."""
        out: dict[str, set[int]] = defaultdict(set)
        for (zone, block), own in self.own.items():
            if solver.boolean_value(own):
                out[zone].add(block)
        return dict(out)
