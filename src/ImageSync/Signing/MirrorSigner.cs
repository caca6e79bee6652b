using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Errors;
using ImageSync.References;
using ImageSync.Registry;
using ImageSync.Verification;

namespace ImageSync.Signing;

/// <summary>
/// The mirror's own signature on each tag it writes (an image's <c>sign</c> policy), the one place it is made: a
/// simple-signing payload naming the target repository and the digest, signed with the policy's key, appended
/// as a layer to the target's <c>sha256-&lt;hex&gt;.sig</c> manifest (what cosign's tag scheme reads), after the
/// tag and upstream's signatures were written, so theirs stay beside ours. A digest that already carries our
/// signature is left as it is, so a re-run adds nothing. What it did is a note on the tag (table and report).
/// </summary>
internal sealed class MirrorSigner(RegistryClient client, TimeProvider? time = null)
{
    /// <summary>Status and DryRun: say that a signature would be added; nothing is read or written.</summary>
    public static void Plan(ImageSpec image, Digest digest, CopyStats stats, SyncMode mode)
    {
        if (image.Sign is { } sign && mode != SyncMode.Sync)
        {
            stats.Note($"sign: would add the mirror's signature ({sign.Description}) to {ArtifactTags.For(digest, ".sig")}");
        }
    }

    /// <summary>Signs <paramref name="digest"/>, just written to <paramref name="target"/>, when the image asks for it.</summary>
    public async Task SignAsync(ImageSpec image, RepositoryAccess target, Digest digest, CopyStats stats, CancellationToken cancellationToken)
    {
        if (image.Sign is not { } sign)
        {
            return;
        }
        var key = sign.Key ?? throw new ImageSyncException($"{image.Name}: {sign.Field}: the signing key in ${sign.KeyEnv} was not read (the configuration was loaded without the run's environment)");
        var tag = ArtifactTags.For(digest, ".sig");
        byte[]? existing = null;
        if (await client.HeadManifestAsync(target, tag, cancellationToken).ConfigureAwait(false) is { } current)
        {
            existing = (await client.GetManifestAsync(target, current.Digest.ToString(), cancellationToken).ConfigureAwait(false)).Raw;
            if (await AlreadySignedAsync(target, existing, digest, key.PublicKey, cancellationToken).ConfigureAwait(false))
            {
                stats.Note($"signed: {tag} already carries the mirror's signature ({sign.Description})");
                return;
            }
        }
        var payload = CosignPayload.For(image.Target, digest);
        var signature = SignatureImageWriter.Append(existing, payload, key.Sign(payload), (time ?? TimeProvider.System).GetUtcNow());
        foreach (var (descriptor, content) in signature.Blobs)
        {
            if (await client.BlobExistsAsync(target, descriptor.Digest, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            var start = await client.StartUploadAsync(target, null, null, cancellationToken).ConfigureAwait(false);
            await client.CompleteUploadAsync(target, start.Session!, new MemoryStream(content, writable: false), descriptor, cancellationToken).ConfigureAwait(false);
            stats.Uploaded(descriptor.Size);
        }
        try
        {
            await client.PutManifestAsync(target, tag, signature.Manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.RefusesImmutableTag)
        {
            stats.Note($"conflict: signature tag {tag} is immutable in the target; the mirror's signature was not added: {e.Message}");
            return;
        }
        stats.ManifestPushed();
        stats.Note($"signed: {tag} now carries the mirror's signature ({sign.Description}, {key.Kind})");
    }

    /// <summary>Whether one of the manifest's payload layers is ours for this digest (signatures are randomised: verified, not compared).</summary>
    private async Task<bool> AlreadySignedAsync(RepositoryAccess target, byte[] manifest, Digest digest, VerificationKey key, CancellationToken cancellationToken)
    {
        var verifier = new SignatureVerifier(new SignaturePolicy("the mirror's key", key, null, null, null));
        foreach (var (layer, annotations) in SignatureManifest.Layers(manifest).Where(l => l.Layer.MediaType == SimpleSigningPayload.MediaType).Take(SignatureGate.MaxCandidates))
        {
            if (layer.Size > SignatureGate.MaxArtifactBytes || !annotations.ContainsKey(CosignSignature.SignatureAnnotation))
            {
                continue;
            }
            var stream = await client.OpenBlobAsync(target, layer, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream((int)layer.Size);
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                try
                {
                    if (verifier.Verify(CosignSignature.FromLayer(buffer.ToArray(), annotations), digest, "").Verified)
                    {
                        return true;
                    }
                }
                catch (SignatureRefusedException)
                {
                    // Someone else's layer, or a broken one: not ours; it is kept as it is.
                }
            }
        }
        return false;
    }
}
