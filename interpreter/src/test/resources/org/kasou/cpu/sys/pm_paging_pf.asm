; Real mode -> interrupts -> protected mode -> paging -> #PF handled -> INT -> triple fault.
bits 16
org 0x1000
start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7000
    mov word [0x40*4], rm_handler
    mov word [0x40*4+2], 0
    xor bx, bx
    int 0x40
    mov [0x500], bx
    lgdt [gdt_desc]
    lidt [idt_desc]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp 0x08:pm32
rm_handler:
    mov bx, 0x1234
    iret
bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x7000
    mov edi, 0x11000
    mov eax, 0x003
    mov ecx, 1024
fill:
    stosd
    add eax, 0x1000
    loop fill
    mov dword [0x10000], 0x11003
    mov eax, 0x10000
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov dword [0x11000 + 0x200*4], 0
    invlpg [0x200000]
    mov dword [0x200010], 0xCAFEBABE
    mov eax, [0x300010]
    mov [0x504], eax
    int 0x30
    lidt [null_idt]
    ud2
pf_handler:
    mov eax, cr2
    mov [0x508], eax
    pop eax
    mov [0x50C], eax
    mov dword [0x11000 + 0x200*4], 0x300003
    invlpg [0x200000]
    iret
int30_handler:
    mov dword [0x510], 0x30
    iret
align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF
    dq 0x00CF92000000FFFF
gdt_desc:
    dw 23
    dd gdt
idt:
    times 14 dq 0
    dw pf_handler, 0x08, 0x8E00, 0
    times (0x30 - 15) dq 0
    dw int30_handler, 0x08, 0x8F00, 0
idt_desc:
    dw 0x30*8+7
    dd idt
null_idt:
    dw 0
    dd 0
