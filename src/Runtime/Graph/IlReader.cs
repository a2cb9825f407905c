using System.Reflection;
using System.Reflection.Emit;

namespace Sharpflow.Graph;

/// <summary>One IL instruction: its opcode, and where its operand starts in the method's IL and how many bytes it takes.</summary>
internal readonly record struct IlInstruction(OpCode OpCode, int OperandStart, int OperandLength)
{
    /// <summary>The 4-byte token or value of an inline operand.</summary>
    public int Int32Operand(byte[] il) => BitConverter.ToInt32(il, OperandStart);
}

/// <summary>Walks a method body's IL instruction by instruction (the opcode table is .NET's own <see cref="OpCodes"/>).</summary>
internal static class IlReader
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The instructions of <paramref name="il"/>, in order.</summary>
    public static IEnumerable<IlInstruction> Instructions(byte[] il)
    {
        ArgumentNullException.ThrowIfNull(il);
        var pos = 0;
        while (pos < il.Length)
        {
            short value = il[pos++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[pos++]));
            }
            var opcode = OpCodesByValue.TryGetValue(value, out var op)
                ? op
                : throw new InvalidOperationException($"Unknown IL opcode 0x{value:X} while reading a method body.");
            var operandStart = pos;
            var length = OperandSize(opcode, il, pos);
            pos += length;
            yield return new IlInstruction(opcode, operandStart, length);
        }
    }

    /// <summary>Whether the instruction's operand is a field or method token (loads, stores, calls, delegate targets).</summary>
    public static bool HasMemberToken(OpCode opcode) => opcode.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok;

    private static int OperandSize(OpCode opcode, byte[] il, int pos) => opcode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, pos)),
        _ => 4,
    };
}
