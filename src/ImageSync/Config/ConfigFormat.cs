namespace ImageSync.Config;

/// <summary>The two configuration formats: imagesync's JSON, and kyma's external-images YAML.</summary>
public enum ConfigFormat
{
    Json,
    ExternalImages,
}
