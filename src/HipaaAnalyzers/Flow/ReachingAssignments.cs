using System.Collections.Generic;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Flow;

/// <summary>
/// Which assignments of a local can reach one read of it, over the method's control-flow graph (Roslyn's
/// <see cref="ControlFlowGraph"/>): <c>key = "dev"; key = config["Key"]; Use(key)</c> reads only the configured value,
/// while after <c>if (...) key = "dev"; else key = config["Key"];</c> both reach. The graph is built once per method
/// body, on the first query, and each query walks the blocks for one local only.
/// Where the graph cannot answer (a read or an assignment inside a lambda or local function, a body the graph cannot
/// be built for, a catch or finally block) every assignment counts, as it does without the graph.
/// </summary>
internal sealed class ReachingAssignments
{
    private static readonly BodyCache.Slot<ReachingAssignments> Slot = BodyCache.NewSlot<ReachingAssignments>();

    /// <summary>Per block, in execution order: assignments to locals (the local and the assigned value's syntax) and reads.</summary>
    private readonly List<Event>[] _blocks;

    private readonly int[][] _predecessors;

    /// <summary>Where each read of a local is: block and position.</summary>
    private readonly Dictionary<SyntaxNode, (int Block, int Index)> _reads = new();

    private ReachingAssignments(ControlFlowGraph graph)
    {
        var blocks = graph.Blocks;
        _blocks = new List<Event>[blocks.Length];
        _predecessors = new int[blocks.Length][];
        for (int b = 0; b < blocks.Length; b++)
        {
            var events = new List<Event>();
            foreach (var operation in blocks[b].Operations)
            {
                Collect(operation, events);
            }

            if (blocks[b].BranchValue is { } branchValue)
            {
                Collect(branchValue, events);
            }

            _blocks[b] = events;
            for (int i = 0; i < events.Count; i++)
            {
                if (events[i].Local is null && !_reads.ContainsKey(events[i].Syntax))
                {
                    _reads.Add(events[i].Syntax, (b, i));
                }
            }

            var predecessors = new List<int>(blocks[b].Predecessors.Length);
            foreach (var branch in blocks[b].Predecessors)
            {
                predecessors.Add(branch.Source.Ordinal);
            }

            _predecessors[b] = predecessors.ToArray();
        }
    }

    /// <summary>
    /// The values of <paramref name="values"/> (what <see cref="Phi.LocalAssignments"/> recorded for the local read by
    /// <paramref name="read"/>) that can reach that read: assignments the graph shows are overwritten on every path
    /// before the read are left out; every other value (element writes, collection adds, assignments the graph does not
    /// show) is kept.
    /// </summary>
    public static IReadOnlyList<IOperation> Filter(ILocalReferenceOperation read, IReadOnlyList<IOperation> values)
    {
        if (values.Count < 2 || For(read) is not { } reaching || !reaching._reads.TryGetValue(read.Syntax, out var at))
        {
            return values;
        }

        var local = read.Local;
        var assigned = new HashSet<SyntaxNode>();
        foreach (var events in reaching._blocks)
        {
            foreach (var e in events)
            {
                if (SymbolEqualityComparer.Default.Equals(e.Local, local))
                {
                    assigned.Add(e.Syntax);
                }
            }
        }

        var reached = reaching.Reaching(local, at.Block, at.Index, assigned);
        var result = new List<IOperation>(values.Count);
        foreach (var value in values)
        {
            if (!assigned.Contains(value.Syntax) || reached.Contains(value.Syntax))
            {
                result.Add(value);
            }
        }

        return result;
    }

    private static ReachingAssignments? For(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        if (root is not (IMethodBodyOperation or IConstructorBodyOperation) || root.SemanticModel is null)
        {
            return null;
        }

        return BodyCache.For(root).Get(Slot, Build);
    }

    private static ReachingAssignments Build(IOperation root)
    {
        try
        {
            var graph = root is IMethodBodyOperation method
                ? ControlFlowGraph.Create(method)
                : ControlFlowGraph.Create((IConstructorBodyOperation)root);
            return new ReachingAssignments(graph);
        }
        catch (System.Exception ex) when (ex is System.ArgumentException or System.InvalidOperationException)
        {
            // A body the graph cannot be built for (incomplete code while typing): no block knows any read.
            return new ReachingAssignments();
        }
    }

    private ReachingAssignments()
    {
        _blocks = System.Array.Empty<List<Event>>();
        _predecessors = System.Array.Empty<int[]>();
    }

    /// <summary>The assigned values' syntax of <paramref name="local"/> that reach position <paramref name="index"/> of block <paramref name="block"/>.</summary>
    private HashSet<SyntaxNode> Reaching(ILocalSymbol local, int block, int index, HashSet<SyntaxNode> all)
    {
        // Within the read's own block, the last assignment before it decides.
        for (int i = index - 1; i >= 0; i--)
        {
            var e = _blocks[block][i];
            if (SymbolEqualityComparer.Default.Equals(e.Local, local))
            {
                return new HashSet<SyntaxNode> { e.Syntax };
            }
        }

        // Otherwise what flows into the block: the usual iteration to a fixed point over OUT sets.
        int count = _blocks.Length;
        var last = new SyntaxNode?[count];
        for (int b = 0; b < count; b++)
        {
            foreach (var e in _blocks[b])
            {
                if (SymbolEqualityComparer.Default.Equals(e.Local, local))
                {
                    last[b] = e.Syntax;
                }
            }
        }

        var output = new HashSet<SyntaxNode>[count];
        for (int b = 0; b < count; b++)
        {
            output[b] = last[b] is { } own ? new HashSet<SyntaxNode> { own } : new HashSet<SyntaxNode>();
        }

        bool changed = true;
        int rounds = 0;
        while (changed && rounds++ < count + 2)
        {
            changed = false;
            for (int b = 0; b < count; b++)
            {
                if (last[b] is not null)
                {
                    continue;
                }

                foreach (var syntax in Into(b, output, all))
                {
                    changed |= output[b].Add(syntax);
                }
            }
        }

        if (changed)
        {
            // Not settled within the bound: every assignment counts.
            return all;
        }

        return new HashSet<SyntaxNode>(Into(block, output, all));
    }

    /// <summary>What flows into a block: its predecessors' OUT sets; for a handler or finally block (no predecessors) every assignment.</summary>
    private IEnumerable<SyntaxNode> Into(int block, HashSet<SyntaxNode>[] output, HashSet<SyntaxNode> all)
    {
        if (block > 0 && _predecessors[block].Length == 0)
        {
            return all;
        }

        var into = new HashSet<SyntaxNode>();
        foreach (var predecessor in _predecessors[block])
        {
            into.UnionWith(output[predecessor]);
        }

        return into;
    }

    /// <summary>The events of one operation in execution order: operands before the assignment that uses them.</summary>
    private static void Collect(IOperation operation, List<Event> events)
    {
        if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation or IFlowAnonymousFunctionOperation)
        {
            // Their bodies run at another time; their reads are not in this graph's order.
            return;
        }

        if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment)
        {
            Collect(assignment.Value, events);
            events.Add(new Event(target.Local, assignment.Value.Syntax));
            return;
        }

        foreach (var child in operation.ChildOperations)
        {
            Collect(child, events);
        }

        if (operation is ILocalReferenceOperation reference)
        {
            events.Add(new Event(null, reference.Syntax));
        }
    }

    /// <summary>An assignment (the local and the assigned value's syntax) or, with no local, a read at <see cref="Syntax"/>.</summary>
    private readonly struct Event
    {
        public Event(ILocalSymbol? local, SyntaxNode syntax)
        {
            Local = local;
            Syntax = syntax;
        }

        public ILocalSymbol? Local { get; }

        public SyntaxNode Syntax { get; }
    }
}
