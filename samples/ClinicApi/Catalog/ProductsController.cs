using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace ClinicApi.Catalog;

/// <summary>A supply item the clinic orders; Name and Email describe the product and its supplier, not a person.</summary>
public sealed record Product(int Id, string Sku, string Name, string Email, decimal Price);

/// <summary>The clinic's supply catalog.</summary>
public sealed class ProductCatalog
{
    private readonly List<Product> _products =
    [
        new(1, "GLV-100", "Nitrile gloves, box of 100", "orders@medsupply.example", 12.50m),
        new(2, "MSK-050", "Surgical masks, box of 50", "orders@medsupply.example", 9.90m),
        new(3, "SYR-010", "Syringes 10 ml, box of 100", "sales@syringes.example", 24.00m),
    ];

    public IReadOnlyList<Product> All() => _products;

    public Product? Find(string sku) => _products.FirstOrDefault(p => p.Sku == sku);
}

/// <summary>The /products endpoints.</summary>
[ApiController]
[Route("products")]
public sealed class ProductsController : ControllerBase
{
    private readonly ProductCatalog _catalog;
    private readonly ILogger<ProductsController> _logger;

    public ProductsController(ProductCatalog catalog, ILogger<ProductsController> logger)
    {
        _catalog = catalog;
        _logger = logger;
    }

    [HttpGet]
    public IReadOnlyList<Product> List() // compliant
    {
        var products = _catalog.All();
        _logger.LogInformation("Listing {ProductCount} products", products.Count); // compliant
        return products;
    }

    [HttpGet("{sku}")]
    public ActionResult<Product> Get(string sku) // compliant
    {
        var product = _catalog.Find(sku);
        if (product is null)
        {
            _logger.LogWarning("Unknown SKU {Sku}", sku); // compliant
            return NotFound();
        }

        _logger.LogInformation("Product {Name} is supplied by {Email}", product.Name, product.Email); // compliant
        return product;
    }

    [HttpPost("{sku}/reorder")]
    public IActionResult Reorder(string sku) // compliant
    {
        var product = _catalog.Find(sku);
        if (product is null)
        {
            return NotFound();
        }

        _logger.LogInformation("Reorder requested for {@Product}", product); // compliant
        _logger.LogInformation("Reorder requested for {Product}", product); // compliant
        return Accepted();
    }
}
