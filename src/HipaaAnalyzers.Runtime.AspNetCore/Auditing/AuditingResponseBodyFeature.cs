using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http.Features;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

/// <summary>
/// Wraps the server's response body so that nothing reaches the client before the request's audit event is stored:
/// the first write, flush, start or file send awaits the audit write. If the write fails, the bytes never leave
/// and every later write fails too.
/// </summary>
internal sealed class AuditingResponseBodyFeature : IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly Func<Task> _audit;
    private AuditingStream? _stream;
    private AuditingPipeWriter? _writer;

    public AuditingResponseBodyFeature(IHttpResponseBodyFeature inner, Func<Task> audit)
    {
        _inner = inner;
        _audit = audit;
    }

    /// <summary>True once the audit write has succeeded (or the request is not audited).</summary>
    public bool IsOpen { get; private set; }

    public Stream Stream => _stream ??= new AuditingStream(this, _inner.Stream);

    public PipeWriter Writer => _writer ??= new AuditingPipeWriter(this, _inner.Writer);

    public IHttpResponseBodyFeature Inner => _inner;

    public void DisableBuffering() => _inner.DisableBuffering();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await OpenAsync().ConfigureAwait(false);
        await _inner.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await OpenAsync().ConfigureAwait(false);
        await _inner.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync()
    {
        await OpenAsync().ConfigureAwait(false);
        await _inner.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Awaits the audit write, then passes on what the pipe writer held back.</summary>
    public async ValueTask OpenAsync()
    {
        if (IsOpen)
        {
            return;
        }

        await _audit().ConfigureAwait(false);
        IsOpen = true;
        if (_writer is not null)
        {
            await _writer.DrainAsync().ConfigureAwait(false);
        }
    }

    public void Open()
    {
        if (!IsOpen)
        {
            OpenAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Drops whatever the pipe writer held back (the audit write failed).</summary>
    public void Discard() => _writer?.Discard();

    private sealed class AuditingStream : Stream
    {
        private readonly AuditingResponseBodyFeature _owner;
        private readonly Stream _inner;

        public AuditingStream(AuditingResponseBodyFeature owner, Stream inner)
        {
            _owner = owner;
            _inner = inner;
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => _inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
            _owner.Open();
            _inner.Flush();
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await _owner.OpenAsync().ConfigureAwait(false);
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _owner.Open();
            _inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _owner.Open();
            _inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _owner.OpenAsync().ConfigureAwait(false);
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class AuditingPipeWriter : PipeWriter
    {
        private readonly AuditingResponseBodyFeature _owner;
        private readonly PipeWriter _inner;
        private ArrayBufferWriter<byte>? _held;
        private bool _leasedHeld;

        public AuditingPipeWriter(AuditingResponseBodyFeature owner, PipeWriter inner)
        {
            _owner = owner;
            _inner = inner;
        }

        public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => (_held?.WrittenCount ?? 0) + _inner.UnflushedBytes;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (_owner.IsOpen)
            {
                return _inner.GetMemory(sizeHint);
            }

            _leasedHeld = true;
            return (_held ??= new ArrayBufferWriter<byte>()).GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (!_leasedHeld)
            {
                _inner.Advance(bytes);
                return;
            }

            _leasedHeld = false;
            _held!.Advance(bytes);
            if (_owner.IsOpen)
            {
                MoveHeld();
            }
        }

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            await _owner.OpenAsync().ConfigureAwait(false);
            return await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override async ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            await _owner.OpenAsync().ConfigureAwait(false);
            return await _inner.WriteAsync(source, cancellationToken).ConfigureAwait(false);
        }

        public override void CancelPendingFlush() => _inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            if (exception is null)
            {
                _owner.Open();
            }

            _inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            if (exception is null)
            {
                await _owner.OpenAsync().ConfigureAwait(false);
            }

            await _inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        public async ValueTask DrainAsync()
        {
            if (_held is { WrittenCount: > 0 })
            {
                MoveHeld();
                await _inner.FlushAsync().ConfigureAwait(false);
            }
        }

        public void Discard()
        {
            _held?.Clear();
            _leasedHeld = false;
        }

        private void MoveHeld()
        {
            if (_held is { WrittenCount: > 0 } held)
            {
                _inner.Write(held.WrittenSpan);
                held.Clear();
            }
        }
    }
}
