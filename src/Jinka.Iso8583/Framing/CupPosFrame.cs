using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583.Framing;

/// <summary>
/// A CUP POS frame: a 2-byte big-endian length of what follows, the TPDU (5), the header (6), then the ISO 8583
/// message. The transport strips the length; <see cref="TryRead(ReadOnlySpan{byte}, out CupPosEnvelope, out Iso8583Message?, out Iso8583Error, Iso8583Spec?)"/>
/// reads the rest. Offsets in errors count from the start of the bytes given.
/// </summary>
public static class CupPosFrame
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int LengthPrefix = 2;

    /// <summary>The largest frame the 2-byte length can describe.</summary>
    public const int MaxContentLength = ushort.MaxValue;

    /// <summary>Bytes of a frame carrying <paramref name="message"/>, length prefix included.</summary>
    public static int GetFramedLength(Iso8583MessageBuilder message, bool withMac)
    {
        ArgumentNullException.ThrowIfNull(message);
        return LengthPrefix + CupPosEnvelope.Length + message.GetPackedLength(withMac);
    }

    /// <summary>Writes length, TPDU, header and message into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too small or the message too large for a frame.</exception>
    public static int Write(Span<byte> destination, CupPosEnvelope envelope, Iso8583MessageBuilder message, MacGenerator? mac = null)
    {
        int total = GetFramedLength(message, mac is not null);
        if (total - LengthPrefix > MaxContentLength)
        {
            throw new ArgumentException($"The frame would be {total - LengthPrefix} bytes; the length prefix holds at most {MaxContentLength}.", nameof(message));
        }

        if (destination.Length < total)
        {
            throw new ArgumentException($"The frame needs {total} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(total - LengthPrefix));
        envelope.Tpdu.Write(destination[LengthPrefix..]);
        envelope.Header.Write(destination[(LengthPrefix + Tpdu.Length)..]);
        message.WriteTo(destination[(LengthPrefix + CupPosEnvelope.Length)..], mac);
        return total;
    }

    /// <summary>Writes the frame into <paramref name="writer"/> without intermediate buffers.</summary>
    public static void Write(IBufferWriter<byte> writer, CupPosEnvelope envelope, Iso8583MessageBuilder message, MacGenerator? mac = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int total = GetFramedLength(message, mac is not null);
        Write(writer.GetSpan(total), envelope, message, mac);
        writer.Advance(total);
    }

    /// <summary>A whole frame as a new array.</summary>
    public static byte[] ToArray(CupPosEnvelope envelope, Iso8583MessageBuilder message, MacGenerator? mac = null)
    {
        byte[] frame = new byte[GetFramedLength(message, mac is not null)];
        Write(frame, envelope, message, mac);
        return frame;
    }

    /// <summary>Reads TPDU, header and message from the frame content (after the length prefix).</summary>
    public static bool TryRead(ReadOnlySpan<byte> content, out CupPosEnvelope envelope, [NotNullWhen(true)] out Iso8583Message? message, out Iso8583Error error, Iso8583Spec? spec = null)
    {
        message = null;
        if (!TryReadEnvelope(content, out envelope, out error))
        {
            return false;
        }

        if (!Iso8583Message.TryParse(content[CupPosEnvelope.Length..], out message, out error, spec))
        {
            error = error.Shift(CupPosEnvelope.Length);
            return false;
        }

        return true;
    }

    /// <summary>Like <see cref="TryRead(ReadOnlySpan{byte}, out CupPosEnvelope, out Iso8583Message?, out Iso8583Error, Iso8583Spec?)"/>, keeping <paramref name="content"/> without copying it.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> content, out CupPosEnvelope envelope, [NotNullWhen(true)] out Iso8583Message? message, out Iso8583Error error, Iso8583Spec? spec = null)
    {
        message = null;
        if (!TryReadEnvelope(content.Span, out envelope, out error))
        {
            return false;
        }

        if (!Iso8583Message.TryParse(content[CupPosEnvelope.Length..], out message, out error, spec))
        {
            error = error.Shift(CupPosEnvelope.Length);
            return false;
        }

        return true;
    }

    /// <summary>Reads the frame content (after the length prefix).</summary>
    /// <exception cref="Iso8583Exception">Malformed, naming field and offset.</exception>
    public static (CupPosEnvelope Envelope, Iso8583Message Message) Read(ReadOnlySpan<byte> content, Iso8583Spec? spec = null) =>
        TryRead(content, out var envelope, out var message, out var error, spec) ? (envelope, message) : throw new Iso8583Exception(error);

    /// <summary>Reads a whole frame, length prefix included; the prefix must match the bytes that follow.</summary>
    /// <exception cref="Iso8583Exception">Malformed, naming field and offset (from the start of the frame).</exception>
    public static (CupPosEnvelope Envelope, Iso8583Message Message) ReadFramed(ReadOnlySpan<byte> frame, Iso8583Spec? spec = null)
    {
        if (frame.Length < LengthPrefix)
        {
            throw new Iso8583Exception(new Iso8583Error(Iso8583ErrorKind.Truncated, -1, 0, LengthPrefix, frame.Length));
        }

        int declared = BinaryPrimitives.ReadUInt16BigEndian(frame);
        if (declared != frame.Length - LengthPrefix)
        {
            throw new Iso8583Exception(new Iso8583Error(Iso8583ErrorKind.InvalidFrame, -1, 0, declared, frame.Length - LengthPrefix));
        }

        return TryRead(frame[LengthPrefix..], out var envelope, out var message, out var error, spec)
            ? (envelope, message)
            : throw new Iso8583Exception(error.Shift(LengthPrefix));
    }

    private static bool TryReadEnvelope(ReadOnlySpan<byte> content, out CupPosEnvelope envelope, out Iso8583Error error)
    {
        envelope = default;
        if (content.Length < CupPosEnvelope.Length)
        {
            error = new Iso8583Error(Iso8583ErrorKind.Truncated, -1, 0, CupPosEnvelope.Length, content.Length);
            return false;
        }

        if (content[0] != Tpdu.CupPosId)
        {
            error = new Iso8583Error(Iso8583ErrorKind.InvalidFrame, -1, 0, Tpdu.CupPosId, content[0]);
            return false;
        }

        envelope = new CupPosEnvelope(Tpdu.Read(content), CupPosHeader.Read(content[Tpdu.Length..]));
        error = default;
        return true;
    }
}
