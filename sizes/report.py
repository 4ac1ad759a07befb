#!/usr/bin/env python3
"""Reads the firmware ELFs of scripts/sizes.sh: flash over the baseline, the top-level future,
the peak stack, the functions by size and the panic paths. Standard library only (the ELF is
parsed here); `llvm-nm` (rustup's llvm-tools, else PATH) is used only to demangle names.

  report.py table  --dir DIR --target T --arch A --entries FILE [--check] [--host-futures FILE]
                   [--ceilings FILE] [--new-ceilings FILE]
                                      the table; --check fails (1) on a towel figure over its
                                      ceiling (sizes/ceilings.txt) or a RAM budget;
                                      --new-ceilings appends this run's ceiling lines to FILE
  report.py top    ELF [N]            functions and data by size, biggest first
  report.py panics ELF                panic entry points linked, and who calls them
  report.py stack  ELF                peak stack from main, with the deepest path
  report.py inlined ELF [N [CRATE]]   .text by source function after inlining (debug-info build,
                                      llvm-symbolizer)
  report.py panic-sites ELF           each call of a panic entry point with its inline chain
                                      (debug-info build, llvm-symbolizer)
"""
import os
import re
import shutil
import struct
import subprocess
import sys

# ---------------------------------------------------------------- ELF


class Elf:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 1 or d[5] != 1:
            raise SystemExit(f"{path}: not a 32-bit little-endian ELF")
        self.machine = struct.unpack_from("<H", d, 18)[0]  # 243 RISC-V, 40 ARM
        shoff, = struct.unpack_from("<I", d, 32)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 46)
        raw = [struct.unpack_from("<IIIIIIIIII", d, shoff + i * shentsize) for i in range(shnum)]
        names = raw[shstrndx]
        self.sections = {}
        self.by_index = []
        for s in raw:
            name = self._str(names[4], s[0])
            sec = dict(name=name, type=s[1], addr=s[3], off=s[4], size=s[5], link=s[6])
            self.sections[name] = sec
            self.by_index.append(sec)
        self.symbols = self._symbols()

    def _str(self, off, i):
        end = self.data.index(b"\0", off + i)
        return self.data[off + i:end].decode("utf-8", "replace")

    def size(self, name):
        s = self.sections.get(name)
        return s["size"] if s else 0

    def bytes(self, name):
        s = self.sections.get(name)
        return self.data[s["off"]:s["off"] + s["size"]] if s and s["type"] != 8 else b""

    def _symbols(self):
        sym = self.sections.get(".symtab")
        if not sym:
            return []
        strtab = self.by_index[sym["link"]]
        out = []
        for i in range(sym["size"] // 16):
            name, value, size, info, _other, shndx = struct.unpack_from(
                "<IIIBBH", self.data, sym["off"] + i * 16)
            if size == 0 or shndx == 0 or shndx >= len(self.by_index):
                continue
            kind = info & 0xF  # 1 object, 2 func
            out.append(dict(name=self._str(strtab["off"], name), addr=value & ~1 if kind == 2 else value,
                            size=size, func=kind == 2, section=self.by_index[shndx]["name"]))
        return out

    def flash(self):
        return self.size(".text") + self.size(".rodata")

    def canned(self):
        """Bytes of the dummy peer's canned input (`CANNED_*` statics in probes/src/dummy.rs)."""
        return sum(s["size"] for s in self.symbols
                   if s["name"].startswith("CANNED_") and s["section"] == ".rodata")

    def future_size(self):
        b = self.bytes(".future_size")
        return struct.unpack_from("<I", b)[0] if len(b) >= 4 else None


# ---------------------------------------------------------------- names


def llvm_nm():
    try:
        sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
        for root, _dirs, files in os.walk(os.path.join(sysroot, "lib", "rustlib")):
            if "llvm-nm" in files:
                return os.path.join(root, "llvm-nm")
    except OSError:
        pass
    return shutil.which("llvm-nm")


def demangled(elf):
    """address -> readable name of each function (hash suffix dropped)."""
    names = {}
    nm = llvm_nm()
    if nm:
        out = subprocess.run([nm, "--demangle", "--defined-only", elf.path], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[1] in "tTwWrRdDbB":
                names.setdefault((int(parts[0], 16) & ~1, parts[1] in "tTwW"), parts[2])
    return {s["addr"]: re.sub(r"::h[0-9a-f]{16}$", "", names.get((s["addr"], s["func"]), s["name"]))
            for s in elf.symbols if s["func"]} | \
        {("obj", s["addr"]): re.sub(r"::h[0-9a-f]{16}$", "", names.get((s["addr"], False), s["name"]))
         for s in elf.symbols if not s["func"]}


# ---------------------------------------------------------------- call graph


def sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


def riscv_edges(code, base, start, end):
    """(calls, tails, indirect) of the function at [start, end): RV32IMC jal/c.jal/c.j and
    auipc+jalr pairs; any other jalr is an indirect call or jump (tables, dyn, returns)."""
    calls, tails, indirect = set(), set(), 0
    sites = []  # (pc, target) of every direct call or tail call
    pc = start
    prev = None  # (rd, value) of an auipc just before
    while pc < end:
        off = pc - base
        h = struct.unpack_from("<H", code, off)[0]
        if h & 3 == 3:
            w = struct.unpack_from("<I", code, off)[0]
            op, rd, rs1 = w & 0x7F, (w >> 7) & 31, (w >> 15) & 31
            if op == 0x6F:  # jal
                imm = ((w >> 31) << 20) | (((w >> 12) & 0xFF) << 12) | (((w >> 20) & 1) << 11) | (((w >> 21) & 0x3FF) << 1)
                t = pc + sext(imm, 21)
                if rd == 1:
                    calls.add(t)
                    sites.append((pc, t))
                elif not (start <= t < end):
                    tails.add(t)
                    sites.append((pc, t))
            elif op == 0x67:  # jalr
                imm = sext(w >> 20, 12)
                if prev and prev[0] == rs1:
                    t = prev[1] + imm
                    (calls if rd == 1 else tails).add(t)
                    sites.append((pc, t))
                elif rd == 1:
                    indirect += 1
            prev = (rd, pc + sext(w & 0xFFFFF000, 32)) if op == 0x17 else None
            pc += 4
        else:
            q, f3 = h & 3, h >> 13
            if q == 1 and f3 in (1, 5):  # c.jal, c.j
                bit = lambda n: (h >> n) & 1
                imm = (bit(12) << 11) | (bit(8) << 10) | (((h >> 9) & 3) << 8) | (bit(6) << 7) | (bit(7) << 6) | \
                      (bit(2) << 5) | (bit(11) << 4) | (((h >> 3) & 7) << 1)
                t = pc + sext(imm, 12)
                if f3 == 1:
                    calls.add(t)
                    sites.append((pc, t))
                elif not (start <= t < end):
                    tails.add(t)
                    sites.append((pc, t))
            elif q == 2 and f3 == 4 and (h >> 2) & 31 == 0 and (h >> 7) & 31 != 0 and (h >> 12) & 1:
                indirect += 1  # c.jalr
            prev = None
            pc += 2
    RISCV_SITES.extend(sites)
    return calls, tails, indirect


RISCV_SITES = []


def instructions(code, base, start, end):
    """(address, length) of each RV32IMC instruction in [start, end)."""
    pc = start
    while pc < end:
        n = 4 if struct.unpack_from("<H", code, pc - base)[0] & 3 == 3 else 2
        yield pc, n
        pc += n


def frame_sizes(elf):
    """function address -> its own frame, from -Zemit-stack-sizes."""
    b = elf.bytes(".stack_sizes")
    sizes, i = {}, 0
    while i + 4 <= len(b):
        addr, = struct.unpack_from("<I", b, i)
        i += 4
        n, shift = 0, 0
        while True:
            byte = b[i]
            i += 1
            n |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        sizes[addr & ~1] = n
    return sizes


class Graph:
    def __init__(self, elf):
        self.elf = elf
        self.funcs = {s["addr"]: s for s in elf.symbols if s["func"]}
        self.frames = frame_sizes(elf)
        text = elf.sections[".text"]
        code = elf.data[text["off"]:text["off"] + text["size"]]
        self.edges = {}
        if elf.machine == 243:
            for a, s in self.funcs.items():
                self.edges[a] = riscv_edges(code, text["addr"], a, a + s["size"])

    def peak(self, root):
        """(bytes, path, unknown frames, indirect calls, recursion seen) from root."""
        memo, state = {}, {"unknown": set(), "indirect": set(), "cycle": False}

        def walk(a, stack):
            if a in memo:
                return memo[a]
            if a in stack:
                state["cycle"] = True
                return 0, []
            stack.add(a)
            own = self.frames.get(a)
            if own is None:
                own = 0
                state["unknown"].add(a)
            calls, tails, indirect = self.edges.get(a, (set(), set(), 0))
            if indirect:
                state["indirect"].add(a)
            best = (own, [a])
            for t in calls:
                if t in self.funcs:
                    d, p = walk(t, stack)
                    if own + d > best[0]:
                        best = (own + d, [a] + p)
            for t in tails:
                if t in self.funcs:
                    d, p = walk(t, stack)
                    if d > best[0]:
                        best = (d, [a] + p)
            stack.discard(a)
            memo[a] = best
            return best

        total, path = walk(root, set())
        return total, path, state

    def callers(self, target):
        return sorted(a for a, (c, t, _i) in self.edges.items() if target in c or target in t)


def main_addr(elf):
    for s in elf.symbols:
        if s["func"] and s["name"] == "main":
            return s["addr"]
    raise SystemExit(f"{elf.path}: no main")


# ---------------------------------------------------------------- commands

PANIC = re.compile(r"panic|slice_index|slice_end_index|slice_start_index|unwrap_failed|expect_failed|"
                   r"len_mismatch|index_fail|assert_failed|str_index_overflow|copy_within")


def cmd_top(path, n=40):
    elf = Elf(path)
    names = demangled(elf)
    rows = sorted((s for s in elf.symbols if s["section"] in (".text", ".rodata")), key=lambda s: -s["size"])
    print(f"{path}: .text {elf.size('.text')} + .rodata {elf.size('.rodata')}")
    for s in rows[:n]:
        key = s["addr"] if s["func"] else ("obj", s["addr"])
        print(f"{s['size']:7}  {s['section']:7}  {names.get(key, s['name'])}")


def cmd_panics(path):
    elf = Elf(path)
    g = Graph(elf)
    names = demangled(elf)
    found = False
    for a in sorted(g.funcs):
        n = names.get(a, "")
        if PANIC.search(n) and not n.startswith("rust_begin_unwind"):
            found = True
            callers = ", ".join(names.get(c, hex(c)) for c in g.callers(a)) or "(no direct caller)"
            print(f"{n}  <-  {callers}")
    if not found:
        print("no panic entry point linked")


def cmd_stack(path):
    elf = Elf(path)
    g = Graph(elf)
    names = demangled(elf)
    total, path_, state = g.peak(main_addr(elf))
    print(f"peak stack from main: {total} bytes")
    for a in path_:
        print(f"  {g.frames.get(a, '?'):>5}  {names.get(a, hex(a))}")
    if state["unknown"]:
        print("frames unknown (no .stack_sizes entry, counted 0):",
              ", ".join(sorted(names.get(a, hex(a)) for a in state["unknown"])))
    if state["indirect"]:
        print("indirect calls not followed, in:", ", ".join(sorted(names.get(a, hex(a)) for a in state["indirect"])))
    if state["cycle"]:
        print("recursion seen: a cycle counted once")


def symbolizer():
    return shutil.which("llvm-symbolizer")


def inline_chains(path, addrs):
    """address -> [innermost function, ..., outermost] from DWARF (a build with debug info)."""
    tool = symbolizer()
    if not tool:
        raise SystemExit("llvm-symbolizer not found (apt-get install llvm)")
    addrs = list(addrs)
    out = subprocess.run([tool, "--inlining", "--demangle",
                          "-e", path], input="".join(f"0x{a:x}\n" for a in addrs),
                         capture_output=True, text=True).stdout
    chains, blocks = {}, out.split("\n\n")
    for a, block in zip(addrs, blocks):
        lines = block.strip().splitlines()
        chains[a] = [re.sub(r"::h[0-9a-f]{16}$", "", lines[i]) for i in range(0, len(lines), 2)]
    return chains


def cmd_inlined(path, n=40, crate="towel"):
    """Bytes of .text by source function after inlining, from DWARF (a build with debug info and
    the same code). Each instruction goes to the innermost inlined frame of `crate` (`self`), so
    core helpers inlined into a towel function (u64 tricks, slice checks) count as that function;
    code with no `crate` frame goes to its innermost frame. `incl` counts every frame of the chain."""
    elf = Elf(path)
    names = demangled(elf)
    text = elf.sections[".text"]
    code = elf.data[text["off"]:text["off"] + text["size"]]
    insns = []
    for s in elf.symbols:
        if s["func"] and s["section"] == ".text":
            insns.extend((a, size, names.get(s["addr"], s["name"]))
                         for a, size in instructions(code, text["addr"], s["addr"], s["addr"] + s["size"]))
    chains = inline_chains(path, [a for a, _, _ in insns])
    mine = re.compile(rf"(^|[<\s&*(]){crate}::")
    own, incl = {}, {}
    for a, size, symbol in insns:
        chain = (chains.get(a) or ["?"])[:-1] + [symbol]  # the outermost frame is the ELF symbol
        f = next((f for f in chain if mine.search(f)), chain[0])
        own[f] = own.get(f, 0) + size
        for g in set(chain):
            incl[g] = incl.get(g, 0) + size
    print(f"{path}: .text {text['size']} B by source function after inlining (self: innermost {crate} frame)")
    print(f"{'self':>6} {'incl':>6}  function")
    for f, b in sorted(own.items(), key=lambda kv: -kv[1])[:n]:
        print(f"{b:6} {incl.get(f, b):6}  {f}")


def cmd_panic_sites(path):
    """Every direct call of a panic entry point, with its inline chain (debug-info build)."""
    elf = Elf(path)
    Graph(elf)
    names = demangled(elf)
    panics = {a for a, n in names.items() if PANIC.search(n)}
    sites = [(pc, t) for pc, t in RISCV_SITES if t in panics and not PANIC.search(names.get(
        next((s["addr"] for s in elf.symbols if s["func"] and s["addr"] <= pc < s["addr"] + s["size"]), 0), ""))]
    chains = inline_chains(path, [pc for pc, _ in sites])
    outer = {pc: next((names.get(s["addr"], s["name"]) for s in elf.symbols
                       if s["func"] and s["addr"] <= pc < s["addr"] + s["size"]), "?") for pc, _ in sites}
    noise = re.compile(r"^<?(core::(ops|slice::index|slice::copy_from_slice_impl)|<\[|\[)|^<\[u\d+")
    seen = set()
    for pc, t in sites:
        chain = (chains.get(pc) or ["?"])[:-1] + [outer[pc]]
        # Drop core's indexing wrappers; stop after the first probe frame (the caller's side).
        short = []
        for f in chain:
            if noise.search(f) and short:
                continue
            short.append(f)
            if f.startswith("probes::"):
                break
        line = f"{names.get(t)}  <-  " + "  <-  ".join(short)
        if line not in seen:
            seen.add(line)
            print(line)


def stack_note(state, names):
    notes = []
    if state["indirect"]:
        notes.append("indirect calls")
    if state["cycle"]:
        notes.append("recursion")
    return "+" + "/".join(notes) if notes else ""


def read_ceilings(path):
    """{(arch, binary): (flash, stack or None)} from sizes/ceilings.txt."""
    ceilings = {}
    if path and os.path.exists(path):
        for line in open(path):
            line = line.split("#", 1)[0].split()
            if len(line) == 4:
                arch, name, flash, stack = line
                ceilings[(arch, name)] = (int(flash), None if stack == "-" else int(stack))
    return ceilings


def round_up(n, step):
    return -(-n // step) * step


# The margins of a new ceiling: a figure moves by up to ~30 B between clones of one commit
# (crate hashes in symbol names steer LLVM among identical copies), so a flash ceiling is the
# figure plus 64 B, rounded up to 256 B; a stack ceiling the figure plus 32 B, rounded up to
# 64 B. A row under its budget gets a ceiling no higher than the budget: crossing a budget
# always fails.
FLASH_MARGIN, FLASH_STEP, STACK_MARGIN, STACK_STEP = 64, 256, 32, 64
STACK_BUDGET = 2048


def new_ceiling(flash, stack, budget):
    f = round_up(flash + FLASH_MARGIN, FLASH_STEP)
    if budget is not None and flash <= budget:
        f = min(f, budget)
    st = None
    if stack is not None:
        st = round_up(stack + STACK_MARGIN, STACK_STEP)
        if stack <= STACK_BUDGET:
            st = min(st, STACK_BUDGET)
    return f, st


def cmd_table(args):
    d, target, entries_file, arch = args["--dir"], args["--target"], args["--entries"], args["--arch"]
    check = "--check" in args
    ceilings = read_ceilings(args.get("--ceilings"))
    new_lines = []
    host, slots = {}, {}
    if args.get("--host-futures") and os.path.exists(args["--host-futures"]):
        text = open(args["--host-futures"]).read()
        for m in re.finditer(r"future (\w+) (\d+)", text):
            host[m.group(1)] = int(m.group(2))
        for m in re.finditer(r"slot (\w+) (\d+)", text):
            slots[m.group(1)] = int(m.group(2))
    base = Elf(os.path.join(d, "empty"))
    rows, failures, over, problems = [], [], [], []
    for line in open(entries_file):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, label, targets, budget, needle = [x.strip() for x in line.split("|")]
        if arch not in [t.strip() for t in targets.split(",")]:
            continue
        elf = Elf(os.path.join(d, name))
        names = demangled(elf)
        # The dummy peer's canned input is data of the harness, like the baseline's runtime.
        canned = elf.canned()
        flash = elf.flash() - base.flash() - canned
        readable = re.compile(rf"(^|[<\s&*(]){needle}::")
        mangled = f"{len(needle)}{needle}"
        if not any(readable.search(n) for n in names.values()) and \
                not any(mangled in s["name"] for s in elf.symbols if s["func"]):
            problems.append(f"{name}: no function of {needle} in the binary (optimised away?)")
        if flash < 1000:
            problems.append(f"{name}: only {flash} bytes over the baseline (optimised away?)")
        fut = elf.future_size()
        stack, stack_b = "–", None
        if ".stack_sizes" in elf.sections and elf.machine == 243:
            total, _p, state = Graph(elf).peak(main_addr(elf))
            stack, stack_b = f"{total}{stack_note(state, names)}", total
        # The budgets are riscv32imc's (issue 13); other targets are reported only.
        budget_b = int(budget) if budget != "-" and arch == "riscv32" else None
        verdict = ""
        if budget_b is not None:
            verdict = "ok" if flash <= budget_b else f"over by {flash - budget_b}"
            if flash > budget_b:
                over.append(f"{label}: {flash} B > {budget_b} B")
            if fut is not None and name.startswith("towel_get") and fut - TOWEL_BUF > 1024:
                failures.append(f"{label}: future {fut} B - {TOWEL_BUF} B buffer > 1024 B")
            if slots.get(name, 0) > 1024:
                failures.append(f"{label}: state per slot {slots[name]} B > 1024 B")
            if stack_b is not None and stack_b > STACK_BUDGET:
                over.append(f"{label}: peak stack {stack_b} B > {STACK_BUDGET} B")
        # The ratchet (sizes/ceilings.txt): every towel row has a ceiling; growing past it fails.
        ceiling_s = "–"
        if needle == "towel":
            nf, ns = new_ceiling(flash, stack_b, budget_b)
            new_lines.append(f"{arch:<9} {name:<22} {nf:>6} {'-' if ns is None else ns:>6}")
            ceiling = ceilings.get((arch, name))
            if ceiling is None and args.get("--ceilings"):
                problems.append(f"{name}: no ceiling for {arch} in sizes/ceilings.txt "
                                "(scripts/sizes.sh ceilings)")
            elif ceiling is not None:
                cf, cs = ceiling
                ceiling_s = f"{cf:,}" + ("" if cs is None else f" / {cs}")
                if flash > cf:
                    failures.append(f"{label}: flash {flash} B > ceiling {cf} B")
                if cs is not None and stack_b is not None and stack_b > cs:
                    failures.append(f"{label}: peak stack {stack_b} B > ceiling {cs} B")
        fut_s = "–" if fut is None else f"{fut}" + (f" ({host[name]})" if name in host else "")
        slot_s = f"{slots[name]}" if name in slots else "–"
        rows.append(f"| {label} | {flash:,} | {budget_b if budget_b is not None else '–'} | {verdict or '–'} "
                    f"| {ceiling_s} | {fut_s} | {stack} | {slot_s} | {canned} |")
    print(f"\n`.text + .rodata` over the empty binary ({base.flash()} B) and the dummy's canned input "
          f"(last column), {target}:\n")
    print("| binary | flash (B) | budget (B) | | ceiling: flash / stack (B) | top future, target (host) "
          "| peak stack (B) | state per slot, host (B) | canned input, not counted (B) |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    for p in problems:
        print(f"PROBLEM: {p}")
    for o in over:
        print(f"OVER BUDGET (the target; the ceiling is what fails): {o}")
    for f in failures:
        print(f"OVER CEILING OR BUDGET: {f}")
    if args.get("--new-ceilings"):
        with open(args["--new-ceilings"], "a") as out:
            out.write("".join(f"{line}\n" for line in new_lines))
    # A missing ceiling fails check only; a probe that measures nothing fails every mode.
    if any("no ceiling" not in p for p in problems) or (problems and check):
        return 2
    if failures and check:
        return 1
    return 0


TOWEL_BUF = 256  # probes/src/towel_probes.rs HEAD_BUF, inside the towel async GET probe's future
# The servers' RAM budget is per slot (1 KiB beside the slot's buffer), from the host run's
# `slot NAME BYTES` lines (probes/tests/host.rs, towel_probes::slot_sizes).


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, rest = argv[1], argv[2:]
    if cmd == "top":
        cmd_top(rest[0], int(rest[1]) if len(rest) > 1 else 40)
    elif cmd == "panics":
        cmd_panics(rest[0])
    elif cmd == "stack":
        cmd_stack(rest[0])
    elif cmd == "inlined":
        cmd_inlined(rest[0], int(rest[1]) if len(rest) > 1 else 40, rest[2] if len(rest) > 2 else "towel")
    elif cmd == "panic-sites":
        cmd_panic_sites(rest[0])
    elif cmd == "table":
        args, i = {}, 0
        while i < len(rest):
            if rest[i] == "--check":
                args["--check"] = True
                i += 1
            else:
                args[rest[i]] = rest[i + 1]
                i += 2
        return cmd_table(args)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
